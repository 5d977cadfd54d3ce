package org.mxgate.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
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
 * The listeners' side over in-memory handshakes: what a fresh install serves, which protocol
 * versions and suites a client gets, and replacing the certificate while running; on each library
 * mxgate can use, against the JDK's client.
 */
@ParameterizedClass
@EnumSource(value = TlsConfig.Library.class, names = {"JDK", "OPENSSL"})
class ServerTlsTest {

    @Parameter
    TlsConfig.Library library;

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @TempDir
    Path dir;
    private Path certificate;
    private Path key;
    private final ListAppender<ILoggingEvent> log = new ThreadSafeListAppender();
    private final Logger serverLog = (Logger) LoggerFactory.getLogger(ServerTls.class);

    @BeforeEach
    void paths() {
        certificate = dir.resolve("certs/mxgate.pem");
        key = dir.resolve("certs/mxgate.key");
        log.start();
        serverLog.addAppender(log);
        serverLog.setLevel(Level.INFO);
    }

    @AfterEach
    void detach() {
        serverLog.detachAppender(log);
        serverLog.setLevel(null);
    }

    private ServerTls open() throws TlsException {
        return ServerTls.open(new TlsConfig(certificate, key), "mx.example.org", TlsLibrary.choose(library));
    }

    private List<String> logged(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** A client that takes any certificate, limited to the given versions and, when given, suites. */
    private static SslHandler client(List<String> protocols, List<String> suites) throws Exception {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null)
                .protocols(protocols);
        if (suites != null) {
            builder.ciphers(suites);
        }
        return builder.build().newHandler(ALLOC, "mx.example.org", 25);
    }

    private static Handshake handshake(ServerTls tls) throws Exception {
        return Handshake.run(tls.newHandler(ALLOC, false), client(List.of("TLSv1.3", "TLSv1.2"), null));
    }

    @Test
    void aFreshInstallGetsASelfSignedPairAndAWarning() throws Exception {
        try (ServerTls tls = open()) {
            assertTrue(Files.exists(certificate) && Files.exists(key));
            assertEquals("CN=mx.example.org", tls.certificate().getSubjectX500Principal().getName());
            List<String> warnings = logged(Level.WARN);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("Generated a self-signed TLS certificate for mx.example.org in "
                    + certificate + " and " + key), warnings.get(0));
            assertTrue(warnings.get(0).contains("docs/operations.md, \"TLS certificates\""), warnings.get(0));
        }
    }

    @Test
    void anExistingPairIsServedAsItIs() throws Exception {
        SelfSignedPair.create("given.example.org", certificate, key);
        try (ServerTls tls = open()) {
            assertEquals("CN=given.example.org", tls.certificate().getSubjectX500Principal().getName());
            assertEquals(List.of(), logged(Level.WARN));
        }
    }

    @Test
    void oneFileWithoutTheOtherIsRefused() throws Exception {
        SelfSignedPair.create("mx.example.org", certificate, key);
        Files.delete(key);
        TlsException e = assertThrows(TlsException.class, this::open);
        assertTrue(e.getMessage().startsWith(key + ": no such file, while " + certificate + " exists"), e.getMessage());
        assertFalse(Files.exists(key), "no pair generated over a half-configured one");
        Files.delete(certificate);
        Files.writeString(Files.createDirectories(key.getParent()).resolve("mxgate.key"), "x");
        e = assertThrows(TlsException.class, this::open);
        assertTrue(e.getMessage().startsWith(certificate + ": no such file"), e.getMessage());
    }

    @Test
    void tls13IsNegotiatedAndTheCertificateServed() throws Exception {
        try (ServerTls tls = open()) {
            Handshake result = handshake(tls);
            assertTrue(result.succeeded(), String.valueOf(result.clientFailure()));
            assertEquals("TLSv1.3", result.client().getProtocol());
            assertEquals(tls.certificate(), result.serverCertificate());
        }
    }

    @Test
    void aTls12ClientGetsForwardSecrecyAndAead() throws Exception {
        try (ServerTls tls = open()) {
            Handshake result = Handshake.run(tls.newHandler(ALLOC, false), client(List.of("TLSv1.2"), null));
            assertTrue(result.succeeded(), String.valueOf(result.clientFailure()));
            assertEquals("TLSv1.2", result.client().getProtocol());
            assertTrue(result.client().getCipherSuite().matches("TLS_ECDHE_RSA_WITH_(AES_(128|256)_GCM_SHA(256|384)"
                    + "|CHACHA20_POLY1305_SHA256)"), result.client().getCipherSuite());
        }
    }

    @Test
    void aClientOfferingOnlyCbcSuitesIsRefused() throws Exception {
        try (ServerTls tls = open()) {
            Handshake result = Handshake.run(tls.newHandler(ALLOC, false), client(List.of("TLSv1.2"),
                    List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                            "TLS_RSA_WITH_AES_128_CBC_SHA")));
            assertInstanceOf(SSLHandshakeException.class, result.serverFailure());
            assertNotNull(result.clientFailure());
        }
    }

    @Test
    void aTls11ClientIsRefusedByTheServer() throws Exception {
        try (ServerTls tls = open()) {
            SslHandler handler = tls.newHandler(ALLOC, false);
            // OpenSSL's engine lists the pseudo-protocol SSLv2Hello, a hello format it never accepts (below).
            Set<String> enabled = new java.util.HashSet<>(Set.of(handler.engine().getEnabledProtocols()));
            enabled.remove("SSLv2Hello");
            assertEquals(Set.of("TLSv1.3", "TLSv1.2"), enabled);
            // The JDK client will not even send a TLS 1.1 hello, so this one is written out by hand.
            EmbeddedChannel server = new EmbeddedChannel(handler);
            try {
                server.writeInbound(tls11ClientHello());
            } catch (Exception expected) {
                // The failure also lands in the handshake future, checked below.
            }
            assertInstanceOf(SSLHandshakeException.class, handler.handshakeFuture().cause());
            ByteBuf alert = server.readOutbound();
            assertNotNull(alert, "the server answers with an alert");
            // RFC 5246 7.2: record type 21 (alert), level fatal (2), protocol_version (70).
            assertEquals(21, alert.getByte(0));
            assertEquals(2, alert.getByte(5));
            assertEquals(70, alert.getByte(6));
            alert.release();
            server.finishAndReleaseAll();
        }
    }

    /** RFC 4346 7.4.1.2: a TLS 1.1 ClientHello offering two CBC suites and no extensions. */
    private static ByteBuf tls11ClientHello() {
        ByteBuf body = Unpooled.buffer();
        body.writeShort(0x0302);
        body.writeBytes(new byte[32]);
        body.writeByte(0);
        body.writeShort(4).writeShort(0xc013).writeShort(0x002f);
        body.writeByte(1).writeByte(0);
        ByteBuf record = Unpooled.buffer();
        record.writeByte(22).writeShort(0x0301).writeShort(4 + body.readableBytes());
        record.writeByte(1).writeMedium(body.readableBytes()).writeBytes(body);
        body.release();
        return record;
    }

    @Test
    void withStartTlsTheFirstWriteLeavesInPlaintext() throws Exception {
        try (ServerTls tls = open()) {
            EmbeddedChannel server = new EmbeddedChannel(tls.newHandler(ALLOC, true));
            server.writeOutbound(Unpooled.copiedBuffer("220 ready to start TLS\r\n", StandardCharsets.US_ASCII));
            ByteBuf out = server.readOutbound();
            assertEquals("220 ready to start TLS\r\n", out.toString(StandardCharsets.US_ASCII));
            out.release();
            server.finishAndReleaseAll();
        }
    }

    @Test
    void aReplacedPairIsServedAfterReload() throws Exception {
        try (ServerTls tls = open()) {
            assertFalse(tls.reload(), "nothing changed");
            SelfSignedPair.create("renewed.example.org", certificate, key);
            assertTrue(tls.reload());
            assertEquals("CN=renewed.example.org", tls.certificate().getSubjectX500Principal().getName());
            assertEquals("CN=renewed.example.org", handshake(tls).serverCertificate().getSubjectX500Principal().getName());
            assertFalse(tls.reload(), "loaded once");
            assertTrue(logged(Level.INFO).stream().anyMatch(m -> m.startsWith("TLS certificate reloaded from "
                    + certificate + ": subject CN=renewed.example.org, expires ")), logged(Level.INFO).toString());
        }
    }

    @Test
    void aBrokenReplacementKeepsTheOldCertificateUntilItIsWhole() throws Exception {
        try (ServerTls tls = open()) {
            int warningsAtOpen = logged(Level.WARN).size();
            Path staging = dir.resolve("staging");
            SelfSignedPair.create("renewed.example.org", staging.resolve("new.pem"), staging.resolve("new.key"));
            String newCertificate = Files.readString(staging.resolve("new.pem"));

            // Half a certificate, as a reload racing a slow copy would see it.
            TestAuthority.replace(certificate, newCertificate.substring(0, newCertificate.length() / 2));
            assertFalse(tls.reload());
            assertFalse(tls.reload(), "still broken: tried again, and still refused");
            assertEquals("CN=mx.example.org", handshake(tls).serverCertificate().getSubjectX500Principal().getName());

            // The whole certificate, but the old key: they do not belong together yet.
            TestAuthority.replace(certificate, newCertificate);
            assertFalse(tls.reload());
            assertEquals("CN=mx.example.org", tls.certificate().getSubjectX500Principal().getName());

            List<String> warnings = logged(Level.WARN).subList(warningsAtOpen, logged(Level.WARN).size());
            assertEquals(2, warnings.size(), "one warning per state of the files: " + warnings);
            assertTrue(warnings.get(0).startsWith(certificate + ": "), warnings.get(0));
            assertTrue(warnings.get(1).startsWith(key + ": this private key does not belong"), warnings.get(1));
            assertTrue(warnings.get(1).endsWith("still serving the previous certificate (CN=mx.example.org)"),
                    warnings.get(1));

            TestAuthority.replace(key, Files.readString(staging.resolve("new.key")));
            assertTrue(tls.reload());
            assertEquals("CN=renewed.example.org", handshake(tls).serverCertificate().getSubjectX500Principal().getName());
        }
    }

    @Test
    void aCertificateCloseToExpiryIsReported() throws Exception {
        TestAuthority.Issued ca = TestAuthority.root("Test CA");
        TestAuthority.Issued soon = TestAuthority.issue(ca, "soon.example.org", false, TestAuthority.rsa(),
                Duration.ofDays(5), TestAuthority.dns("soon.example.org"));
        Files.createDirectories(certificate.getParent());
        Files.writeString(certificate, TestAuthority.pem(soon.certificate()));
        Files.writeString(key, TestAuthority.pkcs8(soon.key()));
        try (ServerTls tls = open()) {
            List<String> warnings = logged(Level.WARN);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("TLS certificate " + certificate + " (CN=soon.example.org) expires on "),
                    warnings.get(0));
            assertTrue(warnings.get(0).endsWith("in 4 days: replace it"), warnings.get(0));
        }
    }

    @Test
    void theWatcherPicksUpANewPairOnItsOwnThread() throws Exception {
        try (ServerTls tls = open()) {
            tls.watch(Duration.ofMillis(20));
            Thread watcher = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("mxgate-cert-watch")).findFirst().orElseThrow();
            assertTrue(watcher.isDaemon());
            assertThrows(IllegalStateException.class, () -> tls.watch(Duration.ofSeconds(1)));
            SelfSignedPair.create("watched.example.org", certificate, key);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                    assertEquals("CN=watched.example.org", tls.certificate().getSubjectX500Principal().getName()));
            tls.close();
            watcher.join(5_000);
            assertFalse(watcher.isAlive(), "close() stops the watcher");
        }
    }
}
