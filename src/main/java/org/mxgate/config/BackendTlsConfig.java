package org.mxgate.config;

import java.nio.file.Path;

/**
 * How a pool talks TLS to its servers: {@code tls}, {@code tls_trust}, {@code tls_insecure}.
 *
 * @param mode none; opportunistic (STARTTLS when offered, certificate not checked, RFC 7435);
 *             required (STARTTLS must be offered and the certificate must verify, or the server
 *             counts as failed and the transaction moves on: never a silent plaintext fallback)
 * @param trust PEM file of the certificate authorities trusted for {@code required}, or null for the JDK's
 * @param insecure lab use only: {@code required} still demands TLS but accepts any certificate
 */
public record BackendTlsConfig(Mode mode, Path trust, boolean insecure) {

    public static final BackendTlsConfig NONE = new BackendTlsConfig(Mode.NONE, null, false);

    public enum Mode { NONE, OPPORTUNISTIC, REQUIRED }

    public boolean isEnabled() {
        return mode != Mode.NONE;
    }

    /** Whether the server's certificate chain and name are checked. */
    public boolean verifies() {
        return mode == Mode.REQUIRED && !insecure;
    }
}
