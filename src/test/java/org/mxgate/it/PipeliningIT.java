package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 2920: commands sent together are answered in order, each exactly once. */
class PipeliningIT {

    @Test
    void mailRcptRcptDataInOneWriteAreAnsweredInOrder() throws Exception {
        try (RecordingBackend backend = new RecordingBackend().refusing("nobody@example.test");
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            assertTrue(client.hello().contains("PIPELINING"));
            client.write("MAIL FROM:<a@client.test>\r\nRCPT TO:<user@example.test>\r\n"
                    + "RCPT TO:<nobody@example.test>\r\nRCPT TO:<other@example.test>\r\nDATA\r\n");
            assertTrue(client.reply().startsWith("250 2.1.0"));
            assertTrue(client.reply().startsWith("250"));
            assertTrue(client.reply().startsWith("550 5.1.1"));
            assertTrue(client.reply().startsWith("250"));
            assertTrue(client.reply().startsWith("354"));
            client.write("Subject: pipelined\r\n\r\nbody\r\n.\r\nRSET\r\nNOOP\r\nQUIT\r\n");
            assertTrue(client.reply().startsWith("250 2.0.0 Ok: queued as"));
            assertTrue(client.reply().startsWith("250 2.0.0 Ok"));
            assertTrue(client.reply().startsWith("250 2.0.0 Ok"));
            assertTrue(client.reply().startsWith("221"));
            assertTrue(client.isClosedByServer());
            assertEquals(1, backend.messages().size());
            assertEquals(List.of("user@example.test", "other@example.test"), backend.messages().get(0).recipients());
        }
    }

    @Test
    void pipelinedErrorsAreAnsweredOnceEachUntilTheErrorLimitCloses() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            client.write("NOOP\r\nBOGUS\r\nRSET\r\n".repeat(50));
            // max_errors defaults to 10: nine full rounds, then the tenth error ends the session.
            for (int i = 0; i < 9; i++) {
                assertTrue(client.reply().startsWith("250 2.0.0"));
                assertTrue(client.reply().startsWith("500 5.5.1"));
                assertTrue(client.reply().startsWith("250 2.0.0"));
            }
            assertTrue(client.reply().startsWith("250 2.0.0"));
            assertTrue(client.reply().startsWith("500 5.5.1"));
            String closing = client.reply();
            assertTrue(closing.startsWith("421 4.7.0"), closing);
            assertTrue(client.isClosedByServer());
        }
    }
}
