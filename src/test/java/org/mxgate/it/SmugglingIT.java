package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMTP smuggling: a bare CR or LF around a dot never ends the message, the whole message is
 * refused with 550 5.6.11, and nothing after the bare line ending reaches any backend.
 */
class SmugglingIT {

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r.\r\n", "\n.\r", "\r\n.\r"})
    void smuggledSecondMessageIsRefusedAndNothingIsDelivered(String fakeEnd) throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
            assertTrue(client.send("DATA").startsWith("354"));
            client.write("Subject: innocent\r\n\r\nhello" + fakeEnd
                    + "MAIL FROM:<admin@example.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\n"
                    + "Subject: smuggled\r\n\r\nevil\r\n.\r\n");
            String reply = client.reply();
            assertTrue(reply.startsWith("550 5.6.11"), reply);
            assertTrue(client.send("NOOP").startsWith("250"), "the session goes on after the refusal");
            client.send("QUIT");
            // The bare line ending abandoned the backend transaction by closing its connection; once the
            // backend has read every connection to its end, nothing more can arrive.
            backend.awaitAllSessionsEnded();
            assertEquals(0, backend.messages().size(), "nothing delivered");
            assertEquals(List.of("a@client.test"), backend.mailSenders(), "no smuggled command reached the backend");
        }
    }

    // A NUL in content is refused like a bare line ending: a next hop that strips it would see another message.
    @org.junit.jupiter.api.Test
    void nulInContentIsRefusedAndNothingIsDelivered() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
            assertTrue(client.send("DATA").startsWith("354"));
            client.write("Subject: nul\r\n\r\nbefore\0after\r\n.\r\n");
            String reply = client.reply();
            assertTrue(reply.startsWith("550 5.6.0"), reply);
            assertTrue(client.send("NOOP\0").startsWith("501 5.5.2"), "nor in a command");
            assertTrue(client.send("NOOP").startsWith("250"), "the session goes on");
            client.send("QUIT");
            backend.awaitAllSessionsEnded();
            assertEquals(0, backend.messages().size(), "nothing delivered");
        }
    }
}
