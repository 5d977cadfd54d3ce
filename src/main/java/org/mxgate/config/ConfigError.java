package org.mxgate.config;

import java.nio.file.Path;

/** One problem in a config or policy file, printed as {@code file:line: reason}. */
public record ConfigError(Path file, int line, String reason) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
