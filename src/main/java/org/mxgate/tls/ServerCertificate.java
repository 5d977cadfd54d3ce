package org.mxgate.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslCredential;
import io.netty.handler.ssl.OpenSslCredentialBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import org.mxgate.config.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates and keys as the listeners serve them: the Netty server context built from the
 * files, and the pairs for logs and status. With an ECDSA pair beside the RSA one, each client
 * gets the kind it accepts, ECDSA first. Built whole or not at all; never touches a context
 * already in use.
 */
record ServerCertificate(SslContext context, ServerPairs pairs) {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    private static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    static ServerCertificate load(TlsConfig config, TlsLibrary library) throws TlsException {
        ServerPairs pairs = ServerPairs.read(config);
        try {
            return new ServerCertificate(context(pairs, library), pairs);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            Path file = pairs.ecdsa() == null ? config.certificate() : config.ecdsa().certificate();
            throw new TlsException(file + ": " + library.description() + " cannot serve this certificate and key ("
                    + e.getMessage() + ")", e);
        }
    }

    private static SslContext context(ServerPairs pairs, TlsLibrary library)
            throws GeneralSecurityException, IOException {
        KeyMaterial primary = pairs.primary();
        KeyMaterial ecdsa = pairs.ecdsa();
        SslContextBuilder builder;
        OpenSslCredential credential = null;
        if (ecdsa == null) {
            builder = SslContextBuilder.forServer(primary.key(), primary.chain());
        } else if (library.provider() == SslProvider.JDK) {
            // The JDK asks its key manager for the key type of each signature scheme the client
            // lists, in the client's order (TLS 1.3), or of the suite it picked (TLS 1.2).
            builder = SslContextBuilder.forServer(keyManagers(pairs));
        } else {
            // Not a two-entry key manager: Netty's OpenSSL engine asks it per auth method of the
            // server's own TLS 1.2 suite list, so it would hand ECDSA to RSA-only clients too.
            // BoringSSL chooses among credentials per client (SSL_CREDENTIAL): the ECDSA one, added
            // first, where the client's signature algorithms and suites allow it, else the RSA one.
            if (!OpenSslCredential.isAvailable()) {
                throw new SSLException("this build cannot serve two certificates (no SSL_CREDENTIAL support);"
                        + " set tls.library: jdk, or remove ecdsa_certificate and ecdsa_key");
            }
            credential = OpenSslCredentialBuilder.forX509(ecdsa.key(), ecdsa.chain().toArray(new X509Certificate[0]))
                    .build();
            builder = SslContextBuilder.forServer(primary.key(), primary.chain()).addCredential(credential);
        }
        try {
            return builder.sslProvider(library.provider())
                    .protocols(TlsSettings.PROTOCOLS)
                    .ciphers(TlsSettings.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                    // A relay's clients are other MTAs; none presents a certificate to a port 25 listener.
                    .clientAuth(ClientAuth.NONE)
                    .build();
        } finally {
            if (credential != null) {
                // The context holds its own reference for as long as it lives.
                credential.release();
            }
        }
    }

    private static KeyManagerFactory keyManagers(ServerPairs pairs) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        List<KeyMaterial> all = pairs.all();
        for (KeyMaterial pair : all) {
            store.setKeyEntry(ServerPairs.kind(pair.key()), pair.key(), new char[0],
                    pair.chain().toArray(new Certificate[0]));
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, new char[0]);
        return factory;
    }

    X509Certificate leaf() {
        return pairs.primary().leaf();
    }

    /** Logs a WARN for each leaf that has expired or expires within two weeks, in time to renew it. */
    void warnIfExpiring(TlsConfig config, Instant now) {
        warnIfExpiring(config.certificate(), pairs.primary().leaf(), now);
        if (pairs.ecdsa() != null) {
            warnIfExpiring(config.ecdsa().certificate(), pairs.ecdsa().leaf(), now);
        }
    }

    static String subject(X509Certificate leaf) {
        return leaf.getSubjectX500Principal().getName();
    }

    private static void warnIfExpiring(Path file, X509Certificate leaf, Instant now) {
        Instant expires = leaf.getNotAfter().toInstant();
        if (expires.isBefore(now)) {
            LOG.warn("TLS certificate {} ({}) expired on {}; clients that verify certificates refuse it: replace it",
                    file, subject(leaf), expires);
        } else if (expires.isBefore(now.plus(EXPIRY_WARNING))) {
            LOG.warn("TLS certificate {} ({}) expires on {}, in {} days: replace it", file, subject(leaf), expires,
                    Duration.between(now, expires).toDays());
        }
    }
}
