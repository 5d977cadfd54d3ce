package org.mxgate.config;

import java.nio.file.Path;

/**
 * The top-level {@code tls:} block: the gateway's certificate chain and private key (PEM).
 * Relative paths in conf/mxgate.yml are resolved against the config file's directory.
 */
public record TlsConfig(Path certificate, Path key) {
}
