package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Redis operations a message costs, counted by Redis itself ({@code INFO commandstats}):
 * the figures docs/scaling.md gives (the commands the gateway sends; the test also prints what
 * the scripts run inside Redis). Each message is a session of its own with one recipient;
 * the heartbeat (one operation every third of lease_time, per instance) is kept out of the count
 * by a lease of an hour.
 */
class SharedOperationsIT {

    private static final byte[] BODY = "Subject: ops\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MESSAGES = 20;

    @Test
    void withTheDefaultLimitsAMessageCostsTwoOperations() throws Exception {
        // max_connections_per_ip (default 20): the slot taken before the greeting, and given back at the end.
        assertEquals(2.0, operationsPerMessage(""));
    }

    @Test
    void eachRateLimitOnAddsOneOperationPerEventItCounts() throws Exception {
        // The slot (2), then the connection rate, the message rate at MAIL and the recipient rate at RCPT.
        assertEquals(5.0, operationsPerMessage("  max_connection_rate_per_ip: 1000\n  max_message_rate_per_ip: 1000\n"
                + "  max_recipient_rate_per_ip: 1000\n"));
    }

    private static double operationsPerMessage(String limitKeys) throws Exception {
        try (RedisServer redis = RedisServer.start();
             RecordingBackend backend = new RecordingBackend();
             SharedGateways gateways = SharedGateways.start(1, redis, List.of(backend.port()), "", limitKeys,
                     "lease_time: 1h")) {
            TestGateway gateway = gateways.get(0);
            // Warm: the scripts are loaded into Redis's cache (a first EVALSHA meets NOSCRIPT and loads it).
            send(gateway);
            await().until(() -> backend.messages().size() == 1);
            await().until(() -> redis.command("KEYS", "mxgate:slots:*").isEmpty());
            redis.command("CONFIG", "RESETSTAT");
            for (int i = 0; i < MESSAGES; i++) {
                send(gateway);
            }
            long[] total = new long[1];
            // The last release goes out after its session closed: counted once it is in.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                total[0] = operations(redis.commandCalls());
                return redis.command("KEYS", "mxgate:slots:*").isEmpty();
            });
            total[0] = operations(redis.commandCalls());
            System.out.println("Redis operations for " + MESSAGES + " messages (" + (limitKeys.isEmpty() ? "default limits"
                    : limitKeys.strip().replace("\n", ",")) + "): " + redis.commandCalls());
            return (double) total[0] / MESSAGES;
        }
    }

    /**
     * The commands the gateway sent, each a round trip: scripts (EVALSHA, or EVAL when Redis lost
     * its script cache) and plain reads (MGET). commandstats also counts the commands a script runs
     * inside Redis (TIME, HGETALL, HINCRBY…), which cost Redis time but no round trip; the test's
     * own INFO, CONFIG and KEYS are not counted.
     */
    private static long operations(Map<String, Long> calls) {
        return calls.entrySet().stream().filter(e -> SENT.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    private static final java.util.Set<String> SENT = java.util.Set.of("evalsha", "eval", "mget", "zrem");

    private static void send(TestGateway gateway) throws Exception {
        try (SmtpClient client = new SmtpClient(gateway.internet(), "127.0.0.1")) {
            client.hello();
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
            assertTrue(reply.startsWith("250 2.0.0"), reply);
            client.send("QUIT");
        }
    }
}
