package org.mxgate.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.mxgate.config.TlsConfig;

/**
 * The TLS implementation behind every listener and pool, chosen once at start: BoringSSL through
 * netty-tcnative where its native library loads (the jar carries Linux x86-64's), the JDK's
 * otherwise. BoringSSL does a handshake in a fraction of the JDK's CPU (docs/performance.md,
 * "STARTTLS"), which is most of what a new TLS session costs.
 */
public record TlsLibrary(SslProvider provider, String description) {

    public static final TlsLibrary JDK = new TlsLibrary(SslProvider.JDK, "the JDK's (" + jdkVersion() + ")");

    /** The library {@code wanted} names; {@code openssl} where it cannot load is refused, with the reason. */
    public static TlsLibrary choose(TlsConfig.Library wanted) throws TlsException {
        return switch (wanted) {
            case JDK -> JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new TlsException("tls.library openssl: " + unavailable());
                }
                yield openSsl();
            }
            case AUTO -> OpenSsl.isAvailable() ? openSsl() : new TlsLibrary(SslProvider.JDK, JDK.description
                    + "; OpenSSL: " + unavailable());
        };
    }

    private static TlsLibrary openSsl() {
        // SslProvider.OPENSSL, not OPENSSL_REFCNT: a context replaced by a certificate reload is
        // freed when its last engine is, with nothing to count by hand.
        return new TlsLibrary(SslProvider.OPENSSL, OpenSsl.versionString() + " through netty-tcnative");
    }

    private static String unavailable() {
        Throwable cause = OpenSsl.unavailabilityCause();
        return "not available on this platform (" + (cause == null ? "unknown" : cause.getMessage()) + ")";
    }

    private static String jdkVersion() {
        return "Java " + Runtime.version().feature();
    }
}
