package org.mxgate.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mxgate.config.AuthLimitsConfig;
import org.mxgate.config.UsersConfig;
import org.mxgate.log.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a login against the users file on a few threads of its own, because bcrypt is meant to
 * be slow and must never run on an event loop. Refuses a blocked client or login without hashing,
 * answers a full queue with UNAVAILABLE rather than queueing without bound, and delays every
 * REJECTED. Never logs a password, and logs a login (the client's text) only escaped; the returned
 * future may complete on any thread.
 */
public final class Authenticator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    // Logins waiting for a hash thread, per thread: at cost 10 about three seconds of work.
    private static final int QUEUE_PER_THREAD = 64;

    /**
     * Salt and digest of the hash checked for a login nobody has; its password is random and thrown
     * away. Made at the cheapest cost: the cost that counts is written in per users file.
     */
    private static final String UNKNOWN_USER_TEMPLATE = PasswordHash.create(
            HexFormat.of().formatHex(randomBytes()).toCharArray(), 4);

    private final AuthFailures failures;
    // Null when failures are counted on this instance alone.
    private final SharedFailures shared;
    private final ThreadPoolExecutor hashing;
    private final AuthLimitsConfig limits;
    private final Executor afterFailureDelay;
    // The unknown-user hash of the users file seen last: a reload brings a new UsersConfig, and a new hash.
    private volatile UnknownUser unknownUser = new UnknownUser(null, null);

    private record UnknownUser(UsersConfig users, String hash) {
    }

    public Authenticator(AuthLimitsConfig limits) {
        this(limits, Ticker.systemTicker());
    }

    /** @param clock what the failure window is measured with: the system's, or a test's (AuthBruteForceIT) */
    public Authenticator(AuthLimitsConfig limits, Ticker clock) {
        this(limits, QUEUE_PER_THREAD * limits.hashThreads(), clock);
    }

    Authenticator(AuthLimitsConfig limits, int queueCapacity) {
        this(limits, queueCapacity, Ticker.systemTicker());
    }

    /**
     * @param clock what the failure window is measured with
     * @param shared the failure counts of every instance, or null when this one counts alone
     */
    public Authenticator(AuthLimitsConfig limits, Ticker clock, SharedFailures shared) {
        this(limits, QUEUE_PER_THREAD * limits.hashThreads(), clock, shared);
    }

    private Authenticator(AuthLimitsConfig limits, int queueCapacity, Ticker clock) {
        this(limits, queueCapacity, clock, null);
    }

    private Authenticator(AuthLimitsConfig limits, int queueCapacity, Ticker clock, SharedFailures shared) {
        this.limits = limits;
        this.shared = shared;
        this.failures = new AuthFailures(limits, clock);
        this.hashing = new ThreadPoolExecutor(limits.hashThreads(), limits.hashThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), hashThreads());
        this.afterFailureDelay = CompletableFuture.delayedExecutor(limits.failureDelay().toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Checks the password for the login as seen from this client, and zeroes the password array
     * once it is no longer needed (at the latest when the future completes).
     */
    public CompletableFuture<AuthResult> authenticate(UsersConfig users, InetAddress client, String login,
                                                      char[] password) {
        if (failures.isBlocked(client, login)) {
            return refuse(password, AuthResult.BLOCKED, "blocked: too many failures", login, client);
        }
        if (shared == null) {
            return hash(users, client, login, password);
        }
        // Every instance's failures count: asked first, within shared_state.timeout.
        return shared.read(client, login).thenCompose(counts -> {
            if (counts == null && !shared.failsOpen()) {
                return refuse(password, AuthResult.UNAVAILABLE, "shared failure counts unavailable (auth_when_away: closed)",
                        login, client);
            }
            if (counts != null && (counts.client() >= limits.maxFailuresPerClient()
                    || login != null && counts.login() >= limits.maxFailuresPerUser())) {
                return refuse(password, AuthResult.BLOCKED, "blocked: too many failures over the instances", login, client);
            }
            return hash(users, client, login, password);
        });
    }

    private static CompletableFuture<AuthResult> refuse(char[] password, AuthResult result, String why, String login,
                                                        InetAddress client) {
        Arrays.fill(password, '\0');
        LOG.debug("login {} from {} {}", LogText.escape(login), client.getHostAddress(), why);
        return CompletableFuture.completedFuture(result);
    }

    private CompletableFuture<AuthResult> hash(UsersConfig users, InetAddress client, String login, char[] password) {
        CompletableFuture<AuthResult> result = new CompletableFuture<>();
        try {
            hashing.execute(() -> check(users, client, login, password, result));
        } catch (RejectedExecutionException e) {
            // A full queue (or a closed authenticator): a soft refusal now beats an unbounded wait.
            Arrays.fill(password, '\0');
            LOG.debug("login {} from {}: hash queue full", LogText.escape(login), client.getHostAddress());
            return CompletableFuture.completedFuture(AuthResult.UNAVAILABLE);
        }
        return result;
    }

    /** The failure counters, for metrics and tests. */
    public AuthFailures failures() {
        return failures;
    }

    /** Stops taking logins; those already queued still get their answer. */
    @Override
    public void close() {
        hashing.shutdown();
    }

    private void check(UsersConfig users, InetAddress client, String login, char[] password,
                       CompletableFuture<AuthResult> result) {
        boolean accepted;
        try {
            Optional<UsersConfig.User> user = login == null ? Optional.empty() : users.find(login);
            // Hash even for an unknown login, and never accept one: same time, same answer as a wrong password.
            boolean matches = PasswordHash.matches(user.map(UsersConfig.User::passwordHash)
                    .orElseGet(() -> unknownUserHash(users)), password);
            accepted = user.isPresent() && matches;
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        } finally {
            Arrays.fill(password, '\0');
        }
        if (accepted) {
            LOG.debug("login {} from {} accepted", LogText.escape(login), client.getHostAddress());
            result.complete(AuthResult.ACCEPTED);
            return;
        }
        // Counted before the delay, so a client firing logins in parallel meets its limit at once.
        failures.recordFailure(client, login);
        if (shared != null) {
            shared.record(client, login);
        }
        LOG.debug("login {} from {} rejected", LogText.escape(login), client.getHostAddress());
        // The delay holds no hash thread: a scheduler completes the future when it is over.
        afterFailureDelay.execute(() -> result.complete(AuthResult.REJECTED));
    }

    /**
     * The hash checked for a login nobody has in this users file. Its cost is the one most of the
     * file's users have (the higher on a tie; the default for an empty file): bcrypt's time follows
     * the cost, so with a fixed cost an unknown login would answer faster or slower than the known
     * ones, and the time of a refusal would tell which logins exist. Users kept at one cost are all
     * covered; a user at a rarer cost still stands out, so keep every user at one {@code passwd --cost}.
     */
    String unknownUserHash(UsersConfig users) {
        UnknownUser seen = unknownUser;
        if (seen.users() != users) {
            seen = new UnknownUser(users, PasswordHash.withCost(UNKNOWN_USER_TEMPLATE, usualCost(users)));
            unknownUser = seen;
        }
        return seen.hash();
    }

    /** The cost most users of the file have, the higher on a tie; the default cost for an empty file. */
    static int usualCost(UsersConfig users) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (UsersConfig.User user : users.users().values()) {
            int cost = PasswordHash.cost(user.passwordHash());
            if (cost > 0) {
                counts.merge(cost, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(PasswordHash.DEFAULT_COST);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static ThreadFactory hashThreads() {
        AtomicInteger next = new AtomicInteger(1);
        return task -> {
            Thread thread = new Thread(task, "mxgate-auth-" + next.getAndIncrement());
            // Daemon: a login being checked must not keep the JVM alive at shutdown.
            thread.setDaemon(true);
            return thread;
        };
    }
}
