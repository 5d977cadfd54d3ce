package org.mxgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.mxgate.config.TlsConfig;
import org.mxgate.log.ThreadSafeListAppender;
import org.slf4j.LoggerFactory;

/**
 * An ECDSA pair beside the RSA one, over in-memory handshakes on each library: what a fresh
 * install gets, which pairs of the wrong kind are refused and how, which certificate a TLS 1.2
 * client gets by its suites, and replacing the ECDSA pair while running.
 */
@ParameterizedClass
@EnumSource(value = TlsConfig.Library.class, names = {"JDK", "OPENSSL"})
class ServerTlsEcdsaTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final Path CONFIG = Path.of("/etc/mxgate/mxgate.yml");

    @Parameter
    TlsConfig.Library library;

    @TempDir
    Path dir;
    private Path certificate;
    private Path key;
    private Path ecCertificate;
    private Path ecKey;
    private final ListAppender<ILoggingEvent> log = new ThreadSafeListAppender();
    private final Logger serverLog = (Logger) LoggerFactory.getLogger(ServerTls.class);

    @BeforeEach
    void paths() {
        certificate = dir.resolve("certs/mxgate.crt");
        key = dir.resolve("certs/mxgate.key");
        ecCertificate = dir.resolve("certs/mxgate-ec.crt");
        ecKey = dir.resolve("certs/mxgate-ec.key");
        log.start();
        serverLog.addAppender(log);
        serverLog.setLevel(Level.INFO);
    }

    @AfterEach
    void detach() {
        serverLog.detachAppender(log);
        serverLog.setLevel(null);
    }

    private TlsConfig config() {
        return new TlsConfig(certificate, key, library, new TlsConfig.EcdsaPair(ecCertificate, ecKey, CONFIG, 12));
    }

    private ServerTls open() throws TlsException {
        return ServerTls.open(config(), "mx.example.org", TlsLibrary.choose(library));
    }

    private List<String> logged(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The leaf a TLS 1.2 client offering only {@code suites} gets. */
    private static java.security.cert.X509Certificate served(ServerTls tls, String... suites) throws Exception {
        SslHandler client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null)
                .protocols("TLSv1.2").ciphers(List.of(suites)).build().newHandler(ALLOC, "mx.example.org", 25);
        Handshake result = Handshake.run(tls.newHandler(ALLOC, false), client);
        assertTrue(result.succeeded(), String.valueOf(result.clientFailure()));
        return result.serverCertificate();
    }

    private static java.security.cert.X509Certificate ecdsaServed(ServerTls tls) throws Exception {
        return served(tls, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    private static java.security.cert.X509Certificate rsaServed(ServerTls tls) throws Exception {
        return served(tls, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void aFreshInstallGetsBothPairsAndAWarningForEach() throws Exception {
        try (ServerTls tls = open()) {
            assertEquals("RSA", tls.certificate().getPublicKey().getAlgorithm());
            ECPublicKey ec = (ECPublicKey) tls.ecdsaCertificate().getPublicKey();
            assertEquals(256, ec.getParams().getCurve().getField().getFieldSize(), "P-256");
            assertEquals("CN=mx.example.org", tls.ecdsaCertificate().getSubjectX500Principal().getName());
            assertEquals("RSA and ECDSA", tls.kinds());
            List<String> warnings = logged(Level.WARN);
            assertEquals(2, warnings.size(), warnings.toString());
            assertTrue(warnings.get(1).startsWith("Generated a self-signed ECDSA TLS certificate for mx.example.org in "
                    + ecCertificate + " and " + ecKey), warnings.get(1));
            assertEquals(tls.ecdsaCertificate(), ecdsaServed(tls));
            assertEquals(tls.certificate(), rsaServed(tls));
        }
    }

    @Test
    void withoutAnEcdsaPairOnePairIsServedAsBefore() throws Exception {
        try (ServerTls tls = ServerTls.open(new TlsConfig(certificate, key, library), "mx.example.org",
                TlsLibrary.choose(library))) {
            assertNull(tls.ecdsaCertificate());
            assertEquals("RSA", tls.kinds());
            assertFalse(Files.exists(ecCertificate));
        }
    }

    @Test
    void anEcdsaPrimaryPairBesideAnEcdsaPairIsRefusedNamingTheLine() throws Exception {
        SelfSignedPair.createEcdsa("primary.example.org", certificate, key);
        TlsException e = assertThrows(TlsException.class, this::open);
        assertTrue(e.getMessage().startsWith("/etc/mxgate/mxgate.yml:12: tls.ecdsa_certificate is set, so"
                + " tls.certificate must be the RSA pair, but " + certificate + " holds an ECDSA certificate"),
                e.getMessage());
    }

    @Test
    void anRsaKeyInEcdsaKeyIsRefusedNamingTheLine() throws Exception {
        SelfSignedPair.create("second.example.org", ecCertificate, ecKey);
        TlsException e = assertThrows(TlsException.class, this::open);
        assertTrue(e.getMessage().startsWith("/etc/mxgate/mxgate.yml:12: tls.ecdsa_key " + ecKey + " is an RSA key;"
                + " ecdsa_certificate and ecdsa_key take an ECDSA pair"), e.getMessage());
    }

    @Test
    void oneEcdsaFileWithoutTheOtherIsRefused() throws Exception {
        SelfSignedPair.createEcdsa("mx.example.org", ecCertificate, ecKey);
        Files.delete(ecKey);
        TlsException e = assertThrows(TlsException.class, this::open);
        assertTrue(e.getMessage().startsWith(ecKey + ": no such file, while " + ecCertificate + " exists"),
                e.getMessage());
    }

    @Test
    void aReplacedEcdsaPairIsServedAfterReloadOnlyOnceWhole() throws Exception {
        try (ServerTls tls = open()) {
            java.security.cert.X509Certificate rsa = tls.certificate();
            Path staging = dir.resolve("staging");
            SelfSignedPair.createEcdsa("renewed.example.org", staging.resolve("ec.crt"), staging.resolve("ec.key"));
            // The new certificate before its key: they do not belong together yet.
            TestAuthority.replace(ecCertificate, Files.readString(staging.resolve("ec.crt")));
            assertFalse(tls.reload());
            assertEquals("CN=mx.example.org", ecdsaServed(tls).getSubjectX500Principal().getName());
            assertTrue(logged(Level.WARN).get(logged(Level.WARN).size() - 1).startsWith(ecKey
                    + ": this private key does not belong"), logged(Level.WARN).toString());

            TestAuthority.replace(ecKey, Files.readString(staging.resolve("ec.key")));
            assertTrue(tls.reload());
            assertEquals("CN=renewed.example.org", tls.ecdsaCertificate().getSubjectX500Principal().getName());
            assertEquals("CN=renewed.example.org", ecdsaServed(tls).getSubjectX500Principal().getName());
            assertEquals(rsa, rsaServed(tls), "the RSA pair stays");
            assertTrue(logged(Level.INFO).stream().anyMatch(m -> m.startsWith("TLS certificate reloaded from "
                    + ecCertificate + ": subject CN=renewed.example.org")), logged(Level.INFO).toString());
        }
    }
}
