package org.mxgate.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.mxgate.config.BackendTlsConfig;

/**
 * The client side of a pool's STARTTLS to its backends. When the pool requires verification, the
 * chain must lead to a trusted authority and the certificate must name the host the pool connects
 * to; otherwise any certificate is taken, as opportunistic TLS allows (RFC 7435 1.3). Never
 * verifies half-way: a verifying context checks both chain and name.
 */
public final class BackendTls {

    private final SslContext context;
    private final boolean verifies;

    private BackendTls(SslContext context, boolean verifies) {
        this.context = context;
        this.verifies = verifies;
    }

    public static BackendTls create(BackendTlsConfig config, TlsLibrary library) throws TlsException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(library.provider())
                .protocols(TlsSettings.PROTOCOLS)
                .ciphers(TlsSettings.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
        if (config.verifies()) {
            if (config.trust() != null) {
                builder.trustManager(trust(config.trust()));
            }
            // RFC 6125 6 with RFC 2818 3.1 rules: the name checked is the configured host; an
            // address must match an iPAddress entry. The JDK calls these rules "HTTPS".
            builder.endpointIdentificationAlgorithm("HTTPS");
        } else {
            // Netty 4.2 turns endpoint identification on by default. Off here, explicitly: no chain
            // is checked, so no name is either, and a JDK trust manager wrapper that would check
            // one must not fail opportunistic TLS where plaintext would have gone through.
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        }
        try {
            return new BackendTls(builder.build(), config.verifies());
        } catch (SSLException | RuntimeException e) {
            String source = config.trust() != null ? config.trust().toString() : "backend TLS";
            throw new TlsException(source + ": cannot build the backend TLS context (" + e.getMessage() + ")", e);
        }
    }

    /** A client handler whose engine knows the host and port, for SNI and the name check. */
    public SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        return new SslHandler(context.newEngine(alloc, host, port));
    }

    public boolean verifies() {
        return verifies;
    }

    private static TrustManagerFactory trust(Path bundle) throws TlsException {
        List<X509Certificate> authorities = CertificateFile.read(bundle);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException(bundle + ": cannot use these certificates as trusted authorities ("
                    + e.getMessage() + ")", e);
        }
    }
}
