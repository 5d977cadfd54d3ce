package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS towards the backends. With {@code tls: required} a plaintext-only backend is a failed
 * backend (the transaction moves on, never a silent plaintext fallback) and a STARTTLS backend
 * whose certificate the trust file vouches for gets every message over TLS; a certificate it
 * does not vouch for is a failure too. {@code opportunistic} encrypts where offered.
 */
class BackendTlsIT {

    private static final long RUN = System.nanoTime();
    private static final byte[] BODY = "Subject: tls\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private RecordingBackend plaintext;
    private RecordingBackend startTls;
    private TestTls.Pair backendPair;

    @BeforeEach
    void start() throws Exception {
        backendPair = TestTls.selfSigned(dir, "127.0.0.1");
        plaintext = new RecordingBackend();
        startTls = new RecordingBackend(TestTls.server(backendPair));
    }

    @AfterEach
    void stop() {
        plaintext.close();
        startTls.close();
    }

    private TestGateway gateway(String tlsKeys) throws Exception {
        return TestGateway.withMailboxPool("""
                balance: round_robin
                command_timeout: 5s
                %s
                servers:
                  - { name: plain, address: 127.0.0.1:%d }
                  - { name: tls, address: 127.0.0.1:%d }
                """.formatted(tlsKeys, plaintext.port(), startTls.port()));
    }

    @Test
    void requiredTlsSkipsThePlaintextBackendAndEncryptsTheRest() throws Exception {
        try (TestGateway gateway = gateway("tls: required\ntls_trust: " + backendPair.certificate())) {
            for (int i = 0; i < 6; i++) {
                try (SmtpClient c = new SmtpClient(gateway.internet())) {
                    c.hello();
                    String reply = c.sendMessage("required-" + i + "-" + RUN + "@client.test", List.of("user@example.test"), BODY);
                    assertTrue(reply.startsWith("250 2.0.0 Ok: queued as"), reply);
                }
            }
        }
        assertEquals(0, plaintext.mailCommands(), "no MAIL ever reaches the plaintext backend");
        // The protocol log says why the plaintext backend was passed over, and that the rest went over TLS.
        String session = ProtocolLogFile.sessionOf("required-5-" + RUN + "@client.test");
        String log = String.join("\n", ProtocolLogFile.linesOf(session));
        assertTrue(log.contains("transaction opened over TLSv1."), log);
        String all = java.nio.file.Files.readString(ProtocolLogFile.LOG);
        assertTrue(all.contains("does not offer STARTTLS, and the pool requires TLS"), "the reason is in the protocol log");
        assertEquals(6, startTls.messages().size());
        assertTrue(startTls.messages().stream().allMatch(RecordingBackend.Message::tls), "every message over TLS");
    }

    @Test
    void requiredTlsRefusesACertificateTheTrustFileDoesNotVouchFor() throws Exception {
        TestTls.Pair stranger = TestTls.selfSigned(dir, "localhost");
        try (TestGateway gateway = gateway("tls: required\ntls_trust: " + stranger.certificate())) {
            try (SmtpClient c = new SmtpClient(gateway.internet())) {
                c.hello();
                String reply = c.sendMessage("sender@client.test", List.of("user@example.test"), BODY);
                assertTrue(reply.startsWith("451 4.4.1"), reply);
            }
        }
        assertEquals(0, plaintext.mailCommands());
        assertEquals(0, startTls.mailCommands());
    }

    @Test
    void aFailedHandshakeIsLoggedWithItsReason() throws Exception {
        String sender = "handshake-" + RUN + "@client.test";
        try (ScriptedBackend closing = new ScriptedBackend(ScriptedBackend.Script.STARTTLS_THEN_CLOSE);
             TestGateway gateway = TestGateway.withMailboxPool("""
                     tls: required
                     tls_trust: %s
                     servers: [ { name: closing, address: 127.0.0.1:%d } ]
                     """.formatted(backendPair.certificate(), closing.port()))) {
            try (SmtpClient c = new SmtpClient(gateway.internet())) {
                c.hello();
                String reply = c.sendMessage(sender, List.of("user@example.test"), BODY);
                assertTrue(reply.startsWith("451 4.4.1"), reply);
            }
        }
        String session = ProtocolLogFile.sessionOf(sender);
        String failure = ProtocolLogFile.linesOf(session).stream().filter(l -> l.contains("TLS handshake failed"))
                .findFirst().orElseThrow(() -> new AssertionError("no handshake failure logged for " + session));
        // The reason an admin needs, never "null".
        assertTrue(failure.matches(".*TLS handshake failed: [A-Za-z].*") && !failure.contains("failed: null"), failure);
        assertTrue(failure.toLowerCase().contains("closed"), failure);
    }

    @Test
    void opportunisticTlsEncryptsWhereOffered() throws Exception {
        try (TestGateway gateway = gateway("tls: opportunistic")) {
            for (int i = 0; i < 4; i++) {
                try (SmtpClient c = new SmtpClient(gateway.internet())) {
                    c.hello();
                    String reply = c.sendMessage("sender@client.test", List.of("user@example.test"), BODY);
                    assertTrue(reply.startsWith("250 2.0.0 Ok: queued as"), reply);
                }
            }
        }
        assertEquals(2, plaintext.messages().size());
        assertTrue(plaintext.messages().stream().noneMatch(RecordingBackend.Message::tls));
        assertEquals(2, startTls.messages().size());
        assertTrue(startTls.messages().stream().allMatch(RecordingBackend.Message::tls));
    }
}
