package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The protocol log has one JSON line per SMTP event, naming listener, session, client and backend. */
class ProtocolLogIT {

    @Test
    void commandsRepliesAndBackendEventsAreLoggedWithTheirSession() throws Exception {
        String sender = "log-" + UUID.randomUUID() + "@client.test";
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            byte[] body = ("Subject: secret-body-text\r\nMessage-ID: <" + sender + ">\r\n\r\nx\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            assertTrue(client.sendMessage(sender, List.of("user@example.test"), body).startsWith("250"));
            client.send("QUIT");
        }
        String session = ProtocolLogFile.sessionOf(sender);
        assertTrue(session != null, "MAIL command of " + sender + " not in " + ProtocolLogFile.LOG);
        List<String> lines = ProtocolLogFile.linesOf(session);
        assertTrue(lines.stream().allMatch(l -> l.startsWith("{\"ts\":\"") && l.endsWith("}")
                && l.contains("\"listener\":\"internet\"") && l.contains("\"client\":\"127.0.0.1\"")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"backend\"") && l.contains("\"backend\":\"b1\"")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"reply\"") && l.contains("Ok: queued as")
                && l.contains("\"backend\":\"b1\"")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"delivered\"") && l.contains("\"backend\":\"b1\"")
                && l.matches(".*\"queue_id\":\"[0-9A-Z]+\".*") && l.contains("\"message_id\":\"<" + sender + ">\"")),
                "a delivered line with our queue id and the Message-ID");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"disconnect\"")));
        assertFalse(lines.stream().anyMatch(l -> l.contains("secret-body-text")), "message content is never logged");
    }
}
