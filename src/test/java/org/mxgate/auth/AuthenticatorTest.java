package org.mxgate.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mxgate.config.AuthLimitsConfig;
import org.mxgate.config.UsersConfig;
import org.mxgate.log.ThreadSafeListAppender;
import org.slf4j.LoggerFactory;

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
    void unknownLoginTakesNoLongerThanAWrongPasswordAtTheUsersCost() throws Exception {
        // Users at cost 4; a decoy at the old fixed cost 10 is 64 times the work (measured: 25 times the time).
        // The fastest of several tries is compared, because a busy machine only makes a try slower.
        Authenticator auth = authenticator(new AuthLimitsConfig(1000, 1000, Duration.ofMinutes(15), Duration.ZERO, 1));
        long known = fastestRejection(auth, "alice@example.test");
        long unknown = fastestRejection(auth, "mallory@example.test");
        assertTrue(unknown < 4 * known + TimeUnit.MILLISECONDS.toNanos(5),
                "unknown login " + unknown / 1000 + " us, wrong password " + known / 1000 + " us");
    }

    private static long fastestRejection(Authenticator auth, String login) throws Exception {
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            long start = System.nanoTime();
            assertEquals(AuthResult.REJECTED, result(auth.authenticate(USERS, ip("192.0.2.1"), login, "guess".toCharArray())));
            fastest = Math.min(fastest, System.nanoTime() - start);
        }
        return fastest;
    }

    @Test
    void unknownUserHashHasTheCostMostUsersHaveAndFollowsAReload() {
        Authenticator auth = authenticator(LIMITS);
        assertEquals(4, PasswordHash.cost(auth.unknownUserHash(USERS)));
        UsersConfig reloaded = users(Map.of("a", 5, "b", 5, "c", 6));
        assertEquals(5, PasswordHash.cost(auth.unknownUserHash(reloaded)), "the cost of most users, after a reload");
        assertEquals(6, Authenticator.usualCost(users(Map.of("a", 5, "b", 6))), "the higher cost on a tie");
        assertEquals(PasswordHash.DEFAULT_COST, Authenticator.usualCost(UsersConfig.NONE));
        assertFalse(PasswordHash.matches(auth.unknownUserHash(reloaded), "".toCharArray()));
    }

    /** Users named by their login, each with a hash of "s3cret" at the given cost. */
    private static UsersConfig users(Map<String, Integer> costs) {
        Map<String, UsersConfig.User> users = new HashMap<>();
        costs.forEach((login, cost) -> users.put(login,
                new UsersConfig.User(login, PasswordHash.create("s3cret".toCharArray(), cost), List.of())));
        return new UsersConfig(null, users);
    }

    @Test
    void loginIsLoggedEscapedSoItCannotForgeALogLine() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Authenticator.class);
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> log = new ThreadSafeListAppender();
        log.start();
        logger.addAppender(log);
        logger.setLevel(Level.DEBUG);
        try {
            Authenticator auth = authenticator(LIMITS);
            String login = "mallory\r\nFORGED 12:00:00.000 INFO  [main] o.m.Main - admin logged in";
            assertEquals(AuthResult.REJECTED, result(auth.authenticate(USERS, ip("192.0.2.1"), login, "guess".toCharArray())));
        } finally {
            logger.detachAppender(log);
            logger.setLevel(before);
        }
        assertEquals(1, log.list.size(), log.list.toString());
        String message = log.list.get(0).getFormattedMessage();
        assertTrue(message.startsWith("login mallory\\r\\nFORGED "), message);
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
