package org.mxgate.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One certificate and key as the listeners serve them: the Netty server context built from the
 * files, and the leaf for logs and status. Built whole or not at all; never touches a context
 * already in use.
 */
record ServerCertificate(SslContext context, X509Certificate leaf) {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    private static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    static ServerCertificate load(Path certificate, Path key, TlsLibrary library) throws TlsException {
        KeyMaterial material = KeyMaterial.read(certificate, key);
        try {
            SslContext context = SslContextBuilder.forServer(material.key(), material.chain())
                    .sslProvider(library.provider())
                    .protocols(TlsSettings.PROTOCOLS)
                    .ciphers(TlsSettings.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                    // A relay's clients are other MTAs; none presents a certificate to a port 25 listener.
                    .clientAuth(ClientAuth.NONE)
                    .build();
            return new ServerCertificate(context, material.leaf());
        } catch (SSLException | RuntimeException e) {
            throw new TlsException(certificate + ": " + library.description() + " cannot serve this certificate and key (" + e.getMessage()
                    + ")", e);
        }
    }

    String subject() {
        return leaf.getSubjectX500Principal().getName();
    }

    Instant expires() {
        return leaf.getNotAfter().toInstant();
    }

    /** Logs a WARN when the leaf has expired or expires within two weeks, in time to renew it. */
    void warnIfExpiring(Path file, Instant now) {
        if (expires().isBefore(now)) {
            LOG.warn("TLS certificate {} ({}) expired on {}; clients that verify certificates refuse it: replace it",
                    file, subject(), expires());
        } else if (expires().isBefore(now.plus(EXPIRY_WARNING))) {
            LOG.warn("TLS certificate {} ({}) expires on {}, in {} days: replace it", file, subject(), expires(),
                    Duration.between(now, expires()).toDays());
        }
    }
}
