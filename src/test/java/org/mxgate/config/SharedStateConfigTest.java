package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code shared_state:} block: off when absent; Lettuce's URI forms (plain, TLS, Sentinel)
 * accepted; a URI the client cannot read, a missing one, or a wait beyond its bounds refused at
 * its line, never echoing a URI that may hold a password.
 */
class SharedStateConfigTest {

    @TempDir
    Path dir;

    private GatewayConfig load(String shared) throws Exception {
        return ConfigLoader.load(ConfigFiles.writeMinimal(dir, shared));
    }

    private List<String> refusals(String shared) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(shared));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    private String conf() {
        return dir.resolve("conf/mxgate.yml").toAbsolutePath().normalize().toString();
    }

    @Test
    void offWhenAbsent() throws Exception {
        assertNull(load("").shared());
    }

    @Test
    void defaults() throws Exception {
        assertEquals(new SharedStateConfig("redis://127.0.0.1:6379", "mxgate:", Duration.ofMillis(250),
                Duration.ofSeconds(30), SharedStateConfig.AuthWhenAway.OPEN),
                load("shared_state: { redis: \"redis://127.0.0.1:6379\" }\n").shared());
    }

    @Test
    void everyKey() throws Exception {
        assertEquals(new SharedStateConfig("rediss://:secret@redis.example.test:6380/2", "site-a:", Duration.ofMillis(100),
                Duration.ofSeconds(10), SharedStateConfig.AuthWhenAway.CLOSED), load("""
                shared_state:
                  redis: "rediss://:secret@redis.example.test:6380/2"
                  key_prefix: "site-a:"
                  timeout: 100ms
                  lease_time: 10s
                  auth_when_away: closed
                """).shared());
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis://localhost", "redis://user:pw@10.0.0.5:6379/1", "rediss://redis.example.test:6380",
            "redis-sentinel://s1.example.test:26379,s2.example.test:26379#mymaster",
            "redis-sentinel://:pw@s1.example.test#mymaster"})
    void lettuceUriForms(String uri) throws Exception {
        assertEquals(uri, load("shared_state: { redis: \"" + uri + "\" }\n").shared().redis());
    }

    @Test
    void theLogNeverSeesThePassword() {
        SharedStateConfig config = new SharedStateConfig("rediss://user:secret@redis.example.test:6380", "mxgate:",
                Duration.ofMillis(250), Duration.ofSeconds(30), SharedStateConfig.AuthWhenAway.OPEN);
        assertEquals("rediss://redis.example.test:6380", config.redisForLog());
    }

    @Test
    void aUriTheClientCannotReadIsRefusedAtItsLineWithoutEchoingIt() {
        List<String> errors = refusals("shared_state:\n  redis: \"mongodb://:hunter2@db\"\n");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith(conf() + ":8: shared_state.redis must be a Redis URI such as"), errors.get(0));
        assertFalse(errors.get(0).contains("hunter2"), errors.get(0));
    }

    @Test
    void theBlockNeedsRedis() {
        assertEquals(List.of(conf() + ":8: missing key 'redis' (the shared_state block turns sharing on; remove it to keep"
                + " each instance to itself)"), refusals("shared_state:\n  timeout: 100ms\n"));
    }

    @Test
    void aSessionWaitsOnlyALittle() {
        assertEquals(List.of(conf() + ":9: shared_state.timeout must be between 10ms and 5s"),
                refusals("shared_state:\n  redis: redis://localhost\n  timeout: 30s\n"));
    }

    @Test
    void authWhenAwayIsOpenOrClosed() {
        assertEquals(List.of(conf() + ":9: auth_when_away must be open or closed, got 'maybe'"),
                refusals("shared_state:\n  redis: redis://localhost\n  auth_when_away: maybe\n"));
    }
}
