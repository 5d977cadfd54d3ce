package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The test harness's own Redis: it answers, an outage closes its port, and a restart brings it
 * back on the same port without what it held (no persistence), which is what the shared-state
 * tests rely on.
 */
class RedisServerIT {

    @Test
    void stopsAndStartsAgainOnTheSamePortEmpty() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            assertEquals("PONG", redis.command("PING"));
            assertEquals("OK", redis.command("SET", "mxgate:test", "1"));
            int port = redis.port();
            redis.stop();
            assertFalse(InteropTools.isListening(port), "stopped means the port is closed");
            redis.restart();
            assertEquals(port, redis.port());
            assertEquals("PONG", redis.command("PING"));
            assertNull(redis.command("GET", "mxgate:test"), "nothing survives a restart");
        }
    }
}
