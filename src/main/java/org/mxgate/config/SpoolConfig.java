package org.mxgate.config;

import java.nio.file.Path;

/** Where message bodies are kept while their transaction lasts: memory up to a limit, then a file. */
public record SpoolConfig(int memoryLimit, Path directory) {
}
