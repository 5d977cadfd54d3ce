package org.mxgate.config;

import java.nio.file.Path;

/**
 * The top-level {@code tls:} block: the gateway's certificate chain and private key (PEM), an
 * optional second pair with an ECDSA key served to the clients that accept it, and the TLS
 * library every listener and pool uses. Relative paths in conf/mxgate.yml are resolved against
 * the config file's directory.
 *
 * @param ecdsa the second pair, or null: one pair, as before the ECDSA keys existed
 */
public record TlsConfig(Path certificate, Path key, Library library, EcdsaPair ecdsa) {

    /** Which TLS implementation: {@code auto} takes OpenSSL when its native library loads, else the JDK's. */
    public enum Library { AUTO, OPENSSL, JDK }

    /**
     * {@code ecdsa_certificate} and {@code ecdsa_key}, with the file and line that named them: the
     * key kinds are only known once the PEM files are read, and a refusal then points back here.
     */
    public record EcdsaPair(Path certificate, Path key, Path configFile, int line) {

        /** {@code file:line} of {@code tls.ecdsa_certificate}, as config refusals print it. */
        public String where() {
            return configFile + ":" + line;
        }
    }

    public TlsConfig(Path certificate, Path key, Library library) {
        this(certificate, key, library, null);
    }

    public TlsConfig(Path certificate, Path key) {
        this(certificate, key, Library.AUTO);
    }

    public boolean hasEcdsa() {
        return ecdsa != null;
    }
}
