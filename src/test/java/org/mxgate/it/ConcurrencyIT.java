package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Many sessions at once: every message delivered, none twice, counted at the backends. */
class ConcurrencyIT {

    private static final int SESSIONS = 200;
    private static final int MESSAGES = 5;
    private static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <(\\d+\\.\\d+)@client.test>");

    @Test
    void twoHundredSessionsOfFiveMessagesEachAreDeliveredExactlyOnce() throws Exception {
        try (RecordingBackend first = new RecordingBackend();
             RecordingBackend second = new RecordingBackend();
             // Every session comes from 127.0.0.1: the per-address cap (20 by default) must not be what is tested here.
             TestGateway gateway = TestGateway.start(List.of(first.port(), second.port()), "",
                     "  max_connections_per_ip: " + SESSIONS + "\n")) {
            ExecutorService clients = Executors.newFixedThreadPool(SESSIONS);
            try {
                List<Future<Integer>> sessions = new ArrayList<>();
                for (int s = 0; s < SESSIONS; s++) {
                    int session = s;
                    sessions.add(clients.submit(() -> sendFive(gateway.internet(), session)));
                }
                int accepted = 0;
                for (Future<Integer> f : sessions) {
                    accepted += f.get();
                }
                assertEquals(SESSIONS * MESSAGES, accepted, "every message got 250");
            } finally {
                clients.shutdownNow();
            }
            Map<String, Integer> seen = new HashMap<>();
            for (RecordingBackend backend : List.of(first, second)) {
                for (RecordingBackend.Message m : backend.messages()) {
                    Matcher id = MESSAGE_ID.matcher(new String(m.bytes(), StandardCharsets.US_ASCII));
                    assertTrue(id.find());
                    seen.merge(id.group(1), 1, Integer::sum);
                }
            }
            assertEquals(SESSIONS * MESSAGES, seen.size(), "every message arrived");
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "no message arrived twice");
            assertTrue(first.messages().size() > 0 && second.messages().size() > 0, "both backends took a share");
        }
    }

    private static int sendFive(int port, int session) throws Exception {
        int ok = 0;
        try (SmtpClient client = new SmtpClient(port)) {
            client.hello();
            for (int m = 0; m < MESSAGES; m++) {
                byte[] body = ("Message-ID: <" + session + "." + m + "@client.test>\r\nSubject: load\r\n\r\n"
                        + "body of message " + m + "\r\n").getBytes(StandardCharsets.US_ASCII);
                String reply = client.sendMessage("s" + session + "@client.test", List.of("user@example.test"), body);
                if (reply.startsWith("250")) {
                    ok++;
                }
            }
            client.send("QUIT");
        }
        return ok;
    }
}
