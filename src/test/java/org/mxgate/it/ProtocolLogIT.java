package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The protocol log has one JSON line per SMTP event, naming listener, session, client and backend. */
class ProtocolLogIT {

    private static final Path LOG = Path.of("target/protocol-test.log");

    @Test
    void commandsRepliesAndBackendEventsAreLoggedWithTheirSession() throws Exception {
        String sender = "log-" + UUID.randomUUID() + "@client.test";
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            byte[] body = "Subject: secret-body-text\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
            assertTrue(client.sendMessage(sender, List.of("user@example.test"), body).startsWith("250"));
            client.send("QUIT");
        }
        String session = null;
        for (int i = 0; i < 50 && session == null; i++) {
            Thread.sleep(100);
            session = sessionOf(sender);
        }
        assertTrue(session != null, "MAIL command of " + sender + " not in " + LOG);
        List<String> lines = linesOf(session);
        assertTrue(lines.stream().allMatch(l -> l.startsWith("{\"ts\":\"") && l.endsWith("}")
                && l.contains("\"listener\":\"internet\"") && l.contains("\"client\":\"127.0.0.1\"")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"backend\"") && l.contains("\"backend\":\"b1\"")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"reply\"") && l.contains("Ok: queued as")
                && l.contains("\"backend\":\"b1\"")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"disconnect\"")));
        assertFalse(lines.stream().anyMatch(l -> l.contains("secret-body-text")), "message content is never logged");
    }

    private static String sessionOf(String sender) throws Exception {
        Pattern p = Pattern.compile("\"session\":\"([a-z0-9]+)\".*MAIL FROM:<" + Pattern.quote(sender) + ">");
        for (String line : Files.readAllLines(LOG, StandardCharsets.UTF_8)) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static List<String> linesOf(String session) throws Exception {
        return Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"session\":\"" + session + "\"")).toList();
    }
}
