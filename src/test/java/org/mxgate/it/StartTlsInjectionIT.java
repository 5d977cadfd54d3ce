package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * STARTTLS command injection (CVE-2011-0411): commands a client (or a man in the middle)
 * pipelines after STARTTLS in the same plaintext write are thrown away, never answered,
 * neither before the handshake in plaintext nor after it inside TLS.
 */
class StartTlsInjectionIT {

    private Submission submission;

    @BeforeEach
    void start() throws Exception {
        submission = Submission.start("starttls", "");
    }

    @AfterEach
    void stop() throws Exception {
        submission.close();
    }

    @Test
    void rsetPipelinedAfterStartTlsIsNeverAnswered() throws Exception {
        try (SmtpClient c = new SmtpClient(submission.port())) {
            c.hello();
            c.write("STARTTLS\r\nRSET\r\n");
            assertEquals("220 2.0.0 Ready to start TLS", c.reply());
            // A plaintext answer to RSET would arrive here and break the handshake.
            c.upgrade();
            assertNotNull(c.tlsSession());
            // The first reply inside TLS is the answer to HELP, not a 250 for the injected RSET.
            assertEquals("214 2.0.0 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP; see RFC 5321", c.send("HELP"));
        }
    }

    @Test
    void injectedTransactionDoesNotSurviveTheHandshake() throws Exception {
        try (SmtpClient c = new SmtpClient(submission.port())) {
            c.hello();
            c.write("STARTTLS\r\nEHLO evil.test\r\nMAIL FROM:<evil@example.test>\r\nRCPT TO:<user@example.test>\r\nDATA\r\n");
            assertEquals("220 2.0.0 Ready to start TLS", c.reply());
            c.upgrade();
            // Nothing of it counts: no HELO name, no transaction.
            assertEquals("503 5.5.1 Error: send HELO/EHLO first", c.send("RCPT TO:<user@example.test>"));
            c.send("EHLO client.test");
            assertEquals("503 5.5.1 Error: need MAIL command", c.send("RCPT TO:<user@example.test>"));
            assertTrue(c.send("NOOP").startsWith("250 2.0.0"));
        }
        assertEquals(0, submission.backend().mailCommands());
    }
}
