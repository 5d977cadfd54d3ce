package org.mxgate.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mxgate.config.AuthLimitsConfig;
import org.mxgate.config.UsersConfig;

/** Logins checked off the caller's thread: the four results, the failure delay, blocking, a full queue. */
class AuthenticatorTest {

    private static final Duration DELAY = Duration.ofMillis(200);
    private static final AuthLimitsConfig LIMITS = new AuthLimitsConfig(3, 20, Duration.ofMinutes(15), DELAY, 2);
    private static final UsersConfig USERS = users(4);

    private final List<Authenticator> opened = new ArrayList<>();

    private static UsersConfig users(int cost) {
        String hash = PasswordHash.create("s3cret".toCharArray(), cost);
        return new UsersConfig(null, Map.of("alice@example.test",
                new UsersConfig.User("Alice@example.test", hash, List.of())));
    }

    private Authenticator authenticator(AuthLimitsConfig limits) {
        Authenticator a = new Authenticator(limits);
        opened.add(a);
        return a;
    }

    @AfterEach
    void close() {
        opened.forEach(Authenticator::close);
    }

    private static InetAddress ip(String address) throws Exception {
        return InetAddress.getByName(address);
    }

    private static AuthResult result(CompletableFuture<AuthResult> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void rightPasswordIsAcceptedOnAHashThreadAndTheArrayIsZeroed() throws Exception {
        Authenticator auth = authenticator(LIMITS);
        char[] password = "s3cret".toCharArray();
        assertEquals(AuthResult.ACCEPTED, result(auth.authenticate(USERS, ip("192.0.2.1"), "alice@example.test", password)));
        assertArrayEquals(new char[6], password);
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("mxgate-auth-1") && t.isDaemon()), "a daemon thread mxgate-auth-1");
    }

    @Test
    void loginComparesWithoutCase() throws Exception {
        Authenticator auth = authenticator(LIMITS);
        assertEquals(AuthResult.ACCEPTED,
                result(auth.authenticate(USERS, ip("192.0.2.1"), "ALICE@Example.TEST", "s3cret".toCharArray())));
    }

    @Test
    void wrongPasswordAndUnknownUserAreRejectedAfterTheDelay() throws Exception {
        Authenticator auth = authenticator(LIMITS);
        for (String login : new String[] {"alice@example.test", "mallory@example.test", null}) {
            char[] password = "guess".toCharArray();
            long start = System.nanoTime();
            assertEquals(AuthResult.REJECTED, result(auth.authenticate(USERS, ip("192.0.2.1"), login, password)), login);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 180, login + " rejected after only " + millis + " ms");
            assertArrayEquals(new char[5], password);
        }
        assertEquals(3, auth.failures().failures(ip("192.0.2.1")));
    }

    @Test
    void unknownUserWithTheRightPasswordOfAnotherIsRejected() throws Exception {
        Authenticator auth = authenticator(LIMITS);
        assertEquals(AuthResult.REJECTED,
                result(auth.authenticate(USERS, ip("192.0.2.1"), "bob@example.test", "s3cret".toCharArray())));
    }

    @Test
    void failureDelayHoldsNoHashThread() throws Exception {
        Authenticator auth = authenticator(new AuthLimitsConfig(3, 20, Duration.ofMinutes(15), Duration.ofSeconds(5), 1));
        CompletableFuture<AuthResult> rejected = auth.authenticate(USERS, ip("192.0.2.1"), "alice@example.test",
                "guess".toCharArray());
        assertEquals(AuthResult.ACCEPTED,
                result(auth.authenticate(USERS, ip("192.0.2.2"), "alice@example.test", "s3cret".toCharArray())));
        assertFalse(rejected.isDone(), "the one hash thread served the next login while the rejection waited");
    }

    @Test
    void clientOverItsLimitIsBlockedEvenWithTheRightPassword() throws Exception {
        Authenticator auth = authenticator(LIMITS);
        InetAddress attacker = ip("192.0.2.66");
        for (int i = 0; i < 3; i++) {
            assertEquals(AuthResult.REJECTED,
                    result(auth.authenticate(USERS, attacker, "alice@example.test", "guess".toCharArray())));
        }
        char[] password = "s3cret".toCharArray();
        CompletableFuture<AuthResult> blocked = auth.authenticate(USERS, attacker, "alice@example.test", password);
        assertTrue(blocked.isDone(), "refused at once, without hashing");
        assertEquals(AuthResult.BLOCKED, blocked.join());
        assertArrayEquals(new char[6], password);
        assertEquals(AuthResult.ACCEPTED,
                result(auth.authenticate(USERS, ip("192.0.2.67"), "alice@example.test", "s3cret".toCharArray())));
        assertEquals(AuthResult.ACCEPTED,
                result(auth.authenticate(USERS, ip("192.0.2.67"), "alice@example.test", "s3cret".toCharArray())),
                "a success resets nothing, and blocks nothing");
    }

    @Test
    void fullQueueIsUnavailable() throws Exception {
        // Cost 8 keeps the one hash thread busy for milliseconds while the loop submits in microseconds.
        UsersConfig slow = users(8);
        Authenticator auth = new Authenticator(new AuthLimitsConfig(100, 100, Duration.ofMinutes(15), DELAY, 1), 2);
        opened.add(auth);
        List<CompletableFuture<AuthResult>> results = new ArrayList<>();
        List<char[]> passwords = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            char[] password = "s3cret".toCharArray();
            passwords.add(password);
            results.add(auth.authenticate(slow, ip("192.0.2.1"), "alice@example.test", password));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long unavailable = results.stream().filter(r -> r.join() == AuthResult.UNAVAILABLE).count();
        long accepted = results.stream().filter(r -> r.join() == AuthResult.ACCEPTED).count();
        assertTrue(unavailable >= 1, "none refused for a full queue");
        assertTrue(accepted >= 3, "the running one and the two queued are checked: " + accepted);
        assertEquals(20, unavailable + accepted);
        passwords.forEach(p -> assertArrayEquals(new char[6], p));
    }

    @Test
    void closedAuthenticatorTakesNoMoreLogins() throws Exception {
        Authenticator auth = authenticator(LIMITS);
        auth.close();
        assertEquals(AuthResult.UNAVAILABLE,
                result(auth.authenticate(USERS, ip("192.0.2.1"), "alice@example.test", "s3cret".toCharArray())));
    }
}
