package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The submission listener: STARTTLS with a JDK client, then AUTH, then relay to a foreign
 * domain. AUTH is neither advertised nor accepted before TLS; without a login a foreign
 * recipient is refused; sender_login keeps a user to its own addresses; no password reaches
 * the protocol log; the Received header says ESMTPSA and names the cipher.
 */
class TlsAuthIT {

    private Submission submission;

    @BeforeEach
    void start() throws Exception {
        submission = Submission.start("starttls", "auth: { failure_delay: 10ms }\n");
    }

    @AfterEach
    void stop() throws Exception {
        submission.close();
    }

    @Test
    void authenticatedClientRelaysOverTls() throws Exception {
        try (SmtpClient c = new SmtpClient(submission.port())) {
            String ehlo = c.hello();
            assertTrue(ehlo.contains("250-STARTTLS") || ehlo.contains("250 STARTTLS"), ehlo);
            // AUTH only over TLS: not advertised, and refused, in plaintext.
            assertFalse(ehlo.contains("AUTH"), ehlo);
            assertEquals("530 5.7.0 Must issue a STARTTLS command first", c.authPlain("alice@example.test", Submission.PASSWORD));
            assertEquals("220 2.0.0 Ready to start TLS", c.startTls());
            assertNotNull(c.tlsSession());
            String tlsEhlo = c.send("EHLO client.test");
            assertTrue(tlsEhlo.contains("AUTH PLAIN LOGIN"), tlsEhlo);
            assertFalse(tlsEhlo.contains("STARTTLS"), "STARTTLS is not offered twice: " + tlsEhlo);
            assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", Submission.PASSWORD));
            String reply = c.sendMessage("alice@example.test", List.of("bob@foreign.test"),
                    "Subject: relayed\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(reply.startsWith("250 2.0.0 Ok: queued as"), reply);
        }
        assertEquals(1, submission.backend().messages().size());
        RecordingBackend.Message message = submission.backend().messages().get(0);
        assertEquals(List.of("bob@foreign.test"), message.recipients());
        String received = new String(message.bytes(), StandardCharsets.UTF_8);
        assertTrue(received.contains("with ESMTPSA id"), received);
        assertTrue(received.matches("(?s).*\\(using TLSv1\\.[23] with cipher TLS_\\w+\\).*"), received);
    }

    @Test
    void withoutAuthAForeignRecipientIsRefused() throws Exception {
        try (SmtpClient c = submission.encryptedClient()) {
            assertTrue(c.send("MAIL FROM:<alice@example.test>").startsWith("250"));
            assertEquals("554 5.7.1 <bob@foreign.test>: Relay access denied", c.send("RCPT TO:<bob@foreign.test>"));
        }
        assertEquals(0, submission.backend().mailCommands());
    }

    @Test
    void authLoginWorksAndSenderLoginHoldsAUserToItsAddresses() throws Exception {
        try (SmtpClient c = submission.encryptedClient()) {
            assertEquals("334 VXNlcm5hbWU6", c.send("AUTH LOGIN"));
            assertEquals("334 UGFzc3dvcmQ6", c.send(b64("ALICE@example.test")));
            assertEquals("235 2.7.0 Authentication successful", c.send(b64(Submission.PASSWORD)));
            assertEquals("553 5.7.1 <mallory@example.test>: Sender address rejected: not owned by user ALICE@example.test",
                    c.send("MAIL FROM:<mallory@example.test>"));
            assertTrue(c.send("MAIL FROM:<shop@alice.test>").startsWith("250"));
            assertTrue(c.send("RCPT TO:<bob@foreign.test>").startsWith("250"));
        }
    }

    @Test
    void stateLearntBeforeTlsIsForgotten() throws Exception {
        try (SmtpClient c = new SmtpClient(submission.port())) {
            c.hello();
            c.startTls();
            // RFC 3207 4.2: the client must say EHLO again.
            assertEquals("503 5.5.1 Error: send HELO/EHLO first", c.send("MAIL FROM:<alice@example.test>"));
            c.send("EHLO client.test");
            assertEquals("503 5.5.1 Error: TLS already active", c.send("STARTTLS"));
        }
    }

    @Test
    void wrongPasswordIsRefusedAndNoPasswordIsLogged() throws Exception {
        String wrong = "hunter2-" + System.nanoTime();
        try (SmtpClient c = submission.encryptedClient()) {
            assertEquals("535 5.7.8 Authentication credentials invalid", c.authPlain("alice@example.test", wrong));
            assertEquals("334 ", c.send("AUTH PLAIN"));
            assertEquals("501 5.7.0 Authentication aborted", c.send("*"));
            assertEquals("334 VXNlcm5hbWU6", c.send("AUTH LOGIN"));
            assertEquals("334 UGFzc3dvcmQ6", c.send(b64("alice@example.test")));
            assertEquals("535 5.7.8 Authentication credentials invalid", c.send(b64(wrong)));
            assertTrue(c.send("MAIL FROM:<" + wrong + "@example.test>").startsWith("250"));
        }
        String session = ProtocolLogFile.sessionOf(wrong + "@example.test");
        assertNotNull(session);
        String log = String.join("\n", ProtocolLogFile.linesOf(session));
        assertTrue(log.contains("\"event\":\"auth\""), log);
        assertTrue(log.contains("\"event\":\"tls\""), log);
        assertTrue(log.contains("AUTH PLAIN (initial response not logged)"), log);
        String plain = Base64.getEncoder().encodeToString(("\0alice@example.test\0" + wrong).getBytes(StandardCharsets.UTF_8));
        for (String secret : List.of(wrong + "\"", plain, b64(wrong))) {
            assertFalse(log.contains(secret), "the protocol log holds " + secret + ":\n" + log);
        }
    }

    @Test
    void anotherListenerWithoutAuthSaysSo() throws Exception {
        try (RecordingBackend other = new RecordingBackend();
             TestGateway plain = TestGateway.start(List.of(other.port()))) {
            try (SmtpClient c = new SmtpClient(plain.internet())) {
                String ehlo = c.hello();
                assertFalse(ehlo.contains("AUTH") || ehlo.contains("STARTTLS"), ehlo);
                assertEquals("502 5.5.1 Error: command not implemented", c.send("STARTTLS"));
                assertEquals("503 5.5.1 Error: authentication not enabled", c.authPlain("alice@example.test", Submission.PASSWORD));
                assertNull(c.tlsSession());
            }
        }
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
