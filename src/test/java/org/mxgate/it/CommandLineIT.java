package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Command lines over a real socket: an over-long line ends an AUTH exchange, so nothing
 * pipelined after it is taken as a user name or password; AUTH lines and SASL responses may be
 * 12,288 octets, other lines 512; a command line that is not UTF-8 is refused and never reaches
 * a backend; AUTH=&lt;&gt; on MAIL is accepted where AUTH is offered.
 */
class CommandLineIT {

    private static final String STARTTLS = "starttls";
    private static final String FAST_FAILURES = "auth: { failure_delay: 10ms }\n";

    @Test
    void anOverLongLineEndsTheAuthExchangeAndWhatFollowsIsACommandAgain() throws Exception {
        try (Submission submission = Submission.start(STARTTLS, FAST_FAILURES);
             SmtpClient c = submission.encryptedClient()) {
            assertEquals("334 VXNlcm5hbWU6", c.send("AUTH LOGIN"));
            // Over RFC 4954's 12,288 octets, then a user name and password pipelined behind it.
            c.write("A".repeat(13_000) + "\r\n" + b64("alice@example.test") + "\r\n" + b64(Submission.PASSWORD) + "\r\n");
            assertEquals("500 5.5.6 Error: line too long", c.reply());
            assertEquals("500 5.5.1 Error: command not recognized", c.reply());
            assertEquals("500 5.5.1 Error: command not recognized", c.reply());
            assertEquals("250 2.0.0 Ok", c.send("NOOP"));
            // Not logged in: a foreign recipient is still refused.
            assertTrue(c.send("MAIL FROM:<alice@example.test>").startsWith("250"));
            assertEquals("554 5.7.1 <bob@foreign.test>: Relay access denied", c.send("RCPT TO:<bob@foreign.test>"));
            assertEquals(0, submission.backend().mailCommands());
        }
    }

    @Test
    void authLinesAndSaslResponsesMayBe12288Octets() throws Exception {
        try (Submission submission = Submission.start(STARTTLS, FAST_FAILURES);
             SmtpClient c = submission.encryptedClient()) {
            // A 700-octet AUTH line with its initial response reaches the password check.
            String longPassword = "x".repeat(500);
            assertEquals("535 5.7.8 Authentication credentials invalid", c.authPlain("alice@example.test", longPassword));
            // So does a 9,000-octet response to the empty challenge.
            assertEquals("334 ", c.send("AUTH PLAIN"));
            assertEquals("535 5.7.8 Authentication credentials invalid",
                    c.send(b64("\0alice@example.test\0" + "y".repeat(6_700))));
            // Outside AUTH the limit stays 512 octets.
            assertEquals("500 5.5.6 Error: line too long", c.send("NOOP " + "z".repeat(600)));
            assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", Submission.PASSWORD));
        }
    }

    @Test
    void aMailCommandThatIsNotUtf8IsRefusedAndNothingReachesABackend() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient c = new SmtpClient(gateway.internet())) {
            c.hello();
            // 0xF6 is "ö" in Latin-1 and no UTF-8 at all.
            c.write("MAIL FROM:<j\u00f6rg@client.test> SMTPUTF8\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("501 5.5.2 Error: bad UTF-8 syntax", c.reply());
            assertEquals("503 5.5.1 Error: need MAIL command", c.send("RCPT TO:<user@example.test>"));
            // Without SMTPUTF8 the same bytes are an 8-bit address the client did not announce.
            c.write("MAIL FROM:<j\u00f6rg@client.test>\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("553 5.6.7 Error: address needs SMTPUTF8", c.reply());
            assertEquals("503 5.5.1 Error: need MAIL command", c.send("RCPT TO:<user@example.test>"));
            assertTrue(c.send("QUIT").startsWith("221"));
            assertEquals(0, backend.mailCommands(), "no MAIL reached a backend");
            assertTrue(backend.messages().isEmpty());
        }
    }

    @Test
    void authParameterOnMailIsAcceptedWhereAuthIsOffered() throws Exception {
        try (Submission submission = Submission.start(STARTTLS, FAST_FAILURES);
             SmtpClient c = submission.encryptedClient()) {
            assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", Submission.PASSWORD));
            assertEquals("250 2.1.0 Ok", c.send("MAIL FROM:<alice@example.test> AUTH=<>"));
            assertTrue(c.send("RCPT TO:<bob@foreign.test>").startsWith("250"));
            assertTrue(c.send("DATA").startsWith("354"));
            c.write("Subject: t\r\n\r\nhi\r\n.\r\n");
            assertTrue(c.reply().startsWith("250 2.0.0 Ok: queued as"));
            assertEquals("250 2.1.0 Ok", c.send("MAIL FROM:<alice@example.test> AUTH=alice+2Bshop@example.test"));
            assertEquals("250 2.0.0 Ok", c.send("RSET"));
            // RFC 3461 4: "+" starts two upper-case hex digits.
            assertEquals("501 5.5.4 Syntax error in parameters or arguments", c.send("MAIL FROM:<alice@example.test> AUTH=a+zz"));
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
