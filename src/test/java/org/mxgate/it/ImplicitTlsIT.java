package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener with {@code tls: implicit} (RFC 8314, port 465 style): the client starts TLS at
 * connect, gets the greeting inside it, logs in and relays; STARTTLS is not offered there, and a
 * plaintext client gets nothing it can read.
 */
class ImplicitTlsIT {

    private Submission submission;

    @BeforeEach
    void start() throws Exception {
        submission = Submission.start("implicit", "");
    }

    @AfterEach
    void stop() throws Exception {
        submission.close();
    }

    @Test
    void clientStartingTlsAtConnectRelays() throws Exception {
        try (SmtpClient c = SmtpClient.implicitTls(submission.port())) {
            assertNotNull(c.tlsSession());
            String ehlo = c.hello();
            assertTrue(ehlo.contains("AUTH PLAIN LOGIN"), ehlo);
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            assertEquals("503 5.5.1 Error: TLS already active", c.send("STARTTLS"));
            assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", Submission.PASSWORD));
            String reply = c.sendMessage("alice@example.test", List.of("bob@foreign.test"),
                    "Subject: implicit\r\n\r\nhi\r\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(reply.startsWith("250 2.0.0 Ok: queued as"), reply);
        }
        assertEquals(1, submission.backend().messages().size());
        String received = new String(submission.backend().messages().get(0).bytes(), StandardCharsets.UTF_8);
        assertTrue(received.contains("with ESMTPSA id"), received);
    }

    @Test
    void plaintextClientGetsNoGreeting() throws Exception {
        try (SmtpClient c = new SmtpClient(submission.port())) {
            c.write("EHLO client.test\r\n");
            // The server waits for a TLS ClientHello; plaintext is a failed handshake and the end.
            String reply = c.reply();
            assertTrue(reply == null || !reply.startsWith("2"), "plaintext got an SMTP reply: " + reply);
        }
    }
}
