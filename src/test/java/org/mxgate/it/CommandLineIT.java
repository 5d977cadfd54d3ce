package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Command lines over a real socket: AUTH=&lt;&gt; on MAIL is accepted where AUTH is offered. */
class CommandLineIT {

    private static final String STARTTLS = "starttls";
    private static final String FAST_FAILURES = "auth: { failure_delay: 10ms }\n";

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
}
