package org.mxgate.tls;

import java.util.List;

/**
 * The protocol versions and cipher suites every mxgate TLS context offers, server and client
 * alike: TLS 1.3 and 1.2, forward secrecy and AEAD only (RFC 9325 4.1 and 4.2). They go to
 * Netty's {@code SupportedCipherSuiteFilter}, so a suite this JDK lacks is dropped rather than
 * failing the build, whichever library ({@link TlsLibrary}) serves them.
 */
public final class TlsSettings {

    // RFC 8996: TLS 1.0 and 1.1 are deprecated; RFC 9325 4.1: TLS 1.2 stays for older peers.
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public static final List<String> CIPHER_SUITES = List.of(
            // RFC 8446 9.1: the TLS 1.3 suites.
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            // RFC 9325 4.2: TLS 1.2 with ephemeral key exchange and AEAD; no CBC, no static RSA.
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");

    private TlsSettings() {
    }
}
