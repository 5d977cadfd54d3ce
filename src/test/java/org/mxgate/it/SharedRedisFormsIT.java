package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The other forms of shared_state.redis than a plain address: TLS ({@code rediss://}) and a
 * primary found through Sentinel ({@code redis-sentinel://…#name}). With each, an instance
 * connects and holds a client's connection slot in Redis.
 */
class SharedRedisFormsIT {

    private static final byte[] BODY = "Subject: forms\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void overTls() throws Exception {
        try (RedisServer redis = RedisServer.startTls()) {
            holdsASlot(redis, redis);
        }
    }

    @Test
    void throughSentinel() throws Exception {
        try (RedisServer primary = RedisServer.start();
             RedisServer sentinel = RedisServer.startSentinel(primary, "mxgate")) {
            holdsASlot(sentinel, primary);
        }
    }

    /** A gateway configured with {@code named}'s URI takes a session's slot in {@code data}, and relays. */
    private static void holdsASlot(RedisServer named, RedisServer data) throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             SharedGateways gateways = SharedGateways.start(1, named, List.of(backend.port()), "", "", "")) {
            try (SmtpClient client = new SmtpClient(gateways.get(0).internet(), "127.0.0.1")) {
                client.hello();
                assertEquals("1", data.command("HVALS", "mxgate:slots:internet|sessions|127.0.0.1"));
                assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"), BODY).startsWith("250 2.0.0"));
            }
        }
    }
}
