package org.mxgate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mxgate.config.AuthLimitsConfig;

/** Brute-force counters per client and per login, on a clock the test moves. */
class AuthFailuresTest {

    private static final AuthLimitsConfig LIMITS = new AuthLimitsConfig(3, 5, Duration.ofMinutes(15),
            Duration.ofMillis(200), 1);

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final AuthFailures failures = new AuthFailures(LIMITS, ticker);

    private static InetAddress ip(String address) throws Exception {
        return InetAddress.getByName(address);
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void clientIsBlockedAfterItsLimitAndOthersAreNot() throws Exception {
        InetAddress attacker = ip("192.0.2.1");
        for (int i = 0; i < 2; i++) {
            failures.recordFailure(attacker, "user" + i + "@example.test");
        }
        assertFalse(failures.isBlocked(attacker, "fresh@example.test"));
        failures.recordFailure(attacker, "user2@example.test");
        assertEquals(3, failures.failures(attacker));
        assertTrue(failures.isBlocked(attacker, "fresh@example.test"));
        assertTrue(failures.isBlocked(attacker, null));
        assertFalse(failures.isBlocked(ip("192.0.2.2"), "fresh@example.test"));
        assertFalse(failures.isBlocked(ip("2001:db8::1"), null));
        assertEquals(0, failures.failures(ip("192.0.2.2")));
    }

    @Test
    void userIsBlockedFromEveryAddressAfterItsLimitWhateverTheCase() throws Exception {
        for (int i = 0; i < 5; i++) {
            failures.recordFailure(ip("198.51.100." + (i + 1)), i % 2 == 0 ? "Alice@Example.Test" : "alice@example.test");
        }
        assertTrue(failures.isBlocked(ip("203.0.113.9"), "alice@example.test"));
        assertTrue(failures.isBlocked(ip("203.0.113.9"), "ALICE@EXAMPLE.TEST"));
        assertFalse(failures.isBlocked(ip("203.0.113.9"), "bob@example.test"));
        assertFalse(failures.isBlocked(ip("203.0.113.9"), null));
    }

    @Test
    void nullLoginCountsForTheClientOnly() throws Exception {
        InetAddress client = ip("192.0.2.7");
        for (int i = 0; i < 3; i++) {
            failures.recordFailure(client, null);
        }
        assertTrue(failures.isBlocked(client, null));
        assertFalse(failures.isBlocked(ip("192.0.2.8"), "null"));
    }

    @Test
    void countsAreForgottenAWindowAfterTheLatestFailure() throws Exception {
        InetAddress client = ip("192.0.2.1");
        for (int i = 0; i < 3; i++) {
            failures.recordFailure(client, "alice@example.test");
        }
        assertTrue(failures.isBlocked(client, null));
        advance(Duration.ofMinutes(15).plusSeconds(1));
        assertFalse(failures.isBlocked(client, null));
        assertEquals(0, failures.failures(client));
        failures.recordFailure(client, null);
        assertEquals(1, failures.failures(client), "a fresh window starts at zero");
    }

    @Test
    void theWindowRunsFromTheLatestFailureNotTheFirst() throws Exception {
        InetAddress client = ip("192.0.2.1");
        failures.recordFailure(client, null);
        advance(Duration.ofMinutes(10));
        failures.recordFailure(client, null);
        advance(Duration.ofMinutes(10));
        // 20 minutes after the first failure, 10 after the latest: both still count.
        assertEquals(2, failures.failures(client));
        failures.recordFailure(client, null);
        assertTrue(failures.isBlocked(client, null));
        advance(Duration.ofMinutes(14));
        assertTrue(failures.isBlocked(client, null));
        advance(Duration.ofMinutes(2));
        assertFalse(failures.isBlocked(client, null));
    }
}
