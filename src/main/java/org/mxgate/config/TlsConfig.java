package org.mxgate.config;

import java.nio.file.Path;

/**
 * The top-level {@code tls:} block: the gateway's certificate chain and private key (PEM), and
 * the TLS library every listener and pool uses. Relative paths in conf/mxgate.yml are resolved
 * against the config file's directory.
 */
public record TlsConfig(Path certificate, Path key, Library library) {

    /** Which TLS implementation: {@code auto} takes OpenSSL when its native library loads, else the JDK's. */
    public enum Library { AUTO, OPENSSL, JDK }

    public TlsConfig(Path certificate, Path key) {
        this(certificate, key, Library.AUTO);
    }
}
