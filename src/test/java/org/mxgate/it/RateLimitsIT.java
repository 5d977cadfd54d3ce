package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Rates per client address over a one-minute sliding window, on real sockets: past the limit a
 * 421 at the greeting, 450 at MAIL or 452 at RCPT, each with the seconds to wait, never a silent
 * drop; another address is served meanwhile, and refused mail never reaches a backend.
 */
class RateLimitsIT {

    private static final byte[] BODY = "Subject: rate\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern HINT = Pattern.compile("try again in (\\d+) s$");

    @Test
    void messagesOverTheRateGet450WithATimeToWait() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "  max_message_rate_per_ip: 2\n");
             SmtpClient client = new SmtpClient(gateway.internet(), "127.0.0.1")) {
            client.hello();
            for (int i = 0; i < 2; i++) {
                String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
                assertTrue(reply.startsWith("250 2.0.0"), reply);
            }
            String refused = client.send("MAIL FROM:<a@client.test>");
            assertTrue(refused.startsWith("450 4.7.1 Error: too much mail from 127.0.0.1, try again in "), refused);
            assertWaitWithinAMinute(refused);
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("503 5.5.1"), "no transaction was started");
            try (SmtpClient other = new SmtpClient(gateway.internet(), "127.0.0.2")) {
                other.hello();
                String reply = other.sendMessage("a@client.test", List.of("user@example.test"), BODY);
                assertTrue(reply.startsWith("250 2.0.0"), reply);
            }
            assertEquals(3, backend.messages().size());
        }
    }

    @Test
    void recipientsOverTheRateGet452AndTheAcceptedOnesAreDelivered() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "  max_recipient_rate_per_ip: 2\n");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<one@example.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<two@example.test>").startsWith("250"));
            String refused = client.send("RCPT TO:<three@example.test>");
            assertTrue(refused.startsWith("452 4.7.1 Error: too many recipients from 127.0.0.1, try again in "), refused);
            assertWaitWithinAMinute(refused);
            assertTrue(client.send("DATA").startsWith("354"));
            client.write(SmtpClient.stuff(BODY));
            String queued = client.send(".");
            assertTrue(queued.startsWith("250 2.0.0"), queued);
            assertEquals(List.of("one@example.test", "two@example.test"), backend.messages().get(0).recipients());
        }
    }

    @Test
    void connectionsOverTheRateGet421WithATimeToWait() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "  max_connection_rate_per_ip: 3\n")) {
            for (int i = 0; i < 3; i++) {
                try (SmtpClient client = new SmtpClient(gateway.internet(), "127.0.0.1")) {
                    assertTrue(client.reply().startsWith("220 "), "connection " + i);
                }
            }
            try (SmtpClient fourth = new SmtpClient(gateway.internet(), "127.0.0.1")) {
                String refused = fourth.reply();
                assertTrue(refused.startsWith("421 4.7.0 mx.test.invalid Error: too many connections from 127.0.0.1,"
                        + " try again in "), refused);
                assertWaitWithinAMinute(refused);
                assertTrue(fourth.isClosedByServer());
            }
            try (SmtpClient other = new SmtpClient(gateway.internet(), "127.0.0.2")) {
                assertTrue(other.reply().startsWith("220 "), "another address");
            }
        }
    }

    @Test
    void aLoginOverItsMessageRateGets450WhateverAddressItComesFrom() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith(Submission.config(backend.port(), "starttls", ""), Map.of(
                     "submission", Submission.POLICY + "limits: { max_message_rate_per_user: 1 }\n",
                     "users", Submission.users()))) {
            int port = gateway.gateway().port("submission");
            for (String from : List.of("127.0.0.1", "127.0.0.2")) {
                try (SmtpClient client = new SmtpClient(port, from)) {
                    client.hello();
                    client.startTls();
                    client.send("EHLO client.test");
                    assertTrue(client.authPlain("alice@example.test", Submission.PASSWORD).startsWith("235"));
                    String reply = client.sendMessage("alice@example.test", List.of("bob@foreign.test"), BODY);
                    if (from.equals("127.0.0.1")) {
                        assertTrue(reply.startsWith("250 2.0.0"), reply);
                    } else {
                        assertTrue(reply.startsWith("450 4.7.1 Error: too much mail from alice@example.test, try again in "),
                                reply);
                        assertWaitWithinAMinute(reply);
                    }
                }
            }
            assertEquals(1, backend.messages().size());
        }
    }

    private static void assertWaitWithinAMinute(String reply) {
        Matcher m = HINT.matcher(reply);
        assertTrue(m.find(), reply);
        long seconds = Long.parseLong(m.group(1));
        assertTrue(seconds >= 1 && seconds <= 60, reply);
    }
}
