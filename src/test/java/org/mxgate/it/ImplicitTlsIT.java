package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener with {@code tls: implicit} (RFC 8314, port 465 style): the client starts TLS at
 * connect, gets the greeting inside it, logs in and relays; STARTTLS is not offered there, and a
 * plaintext client gets nothing it can read.
 */
class ImplicitTlsIT {

    private RecordingBackend backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = new RecordingBackend();
        gateway = TestGateway.startWith(TlsAuthIT.submissionConfig(backend.port(), "implicit", ""),
                Map.of("submission", TlsAuthIT.SUBMISSION_POLICY, "users", TlsAuthIT.users()));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void clientStartingTlsAtConnectRelays() throws Exception {
        try (SmtpClient c = SmtpClient.implicitTls(gateway.gateway().port("submission"))) {
            assertNotNull(c.tlsSession());
            String ehlo = c.hello();
            assertTrue(ehlo.contains("AUTH PLAIN LOGIN"), ehlo);
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            assertEquals("503 5.5.1 Error: TLS already active", c.send("STARTTLS"));
            assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", TlsAuthIT.PASSWORD));
            String reply = c.sendMessage("alice@example.test", List.of("bob@foreign.test"),
                    "Subject: implicit\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(reply.startsWith("250 2.0.0 Ok: queued as"), reply);
        }
        assertEquals(1, backend.messages().size());
        String received = new String(backend.messages().get(0).bytes(), StandardCharsets.UTF_8);
        assertTrue(received.contains("with ESMTPSA id"), received);
    }

    @Test
    void plaintextClientGetsNoGreeting() throws Exception {
        try (SmtpClient c = new SmtpClient(gateway.gateway().port("submission"))) {
            c.write("EHLO client.test\r\n");
            // The server waits for a TLS ClientHello; plaintext is a failed handshake and the end.
            String reply = c.reply();
            assertTrue(reply == null || !reply.startsWith("2"), "plaintext got an SMTP reply: " + reply);
        }
    }
}
