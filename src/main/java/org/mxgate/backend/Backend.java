package org.mxgate.backend;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mxgate.config.HealthCheckConfig;
import org.mxgate.config.ServerConfig;
import org.mxgate.log.LogText;
import org.mxgate.net.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend mail server as a pool knows it, with its health. Identity is the object: one per
 * configured server, kept across reloads while the server's name and address stay (PoolChange),
 * which may change its settings in place. Thread-safe.
 */
public final class Backend {

    private static final Logger LOG = LoggerFactory.getLogger(Backend.class);

    private final String pool;
    private volatile ServerConfig config;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile HealthCounter health;
    private volatile String lastFailure;
    private volatile long lastFailureNanos;
    private Duration baseCooldown;
    private Duration maxCooldown;
    private long cooldownNanos;
    private volatile long pressureUntilNanos;
    private volatile boolean underPressure;
    private volatile ServerConfig.AdminState adminState;
    private volatile long upSinceNanos = System.nanoTime() - Long.MAX_VALUE / 4;
    private volatile long slowStartNanos;
    private volatile boolean removed;
    private final java.util.concurrent.atomic.AtomicInteger transactions = new java.util.concurrent.atomic.AtomicInteger();
    // For the status page: when the admin state, the health and the back pressure last changed (wall clock).
    private volatile Instant adminSince = Instant.now();
    private volatile Instant healthSince = adminSince;
    private volatile Instant pressureSince = adminSince;
    private volatile Instant pressureEnds;
    private volatile Probe lastProbe;
    private volatile String probeAnswer;

    /**
     * What an admin reads on the status page, one word: the admin's own state first (halted,
     * draining), then health (down), then a back-pressure cooldown; up when none applies.
     */
    public enum State { UP, DOWN, PRESSURE, DRAINING, HALTED }

    /**
     * The last health probe: passed or not, the reply (or what went wrong), how long the round
     * took and when it ended.
     */
    public record Probe(boolean passed, String reply, Duration latency, Instant at) {
    }

    /**
     * @param health rise/fall counting, or null when the pool has no health check (always up)
     * @param baseCooldown the first back-pressure cooldown; it doubles up to {@code maxCooldown}
     */
    Backend(String pool, ServerConfig config, HealthCounter health, Duration baseCooldown, Duration maxCooldown) {
        this.pool = pool;
        this.config = config;
        this.health = health;
        this.baseCooldown = baseCooldown;
        this.maxCooldown = maxCooldown;
        this.cooldownNanos = baseCooldown.toNanos();
        this.adminState = config.state();
    }

    Backend(String pool, ServerConfig config, HealthCounter health) {
        this(pool, config, health, Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    public Backend(String pool, ServerConfig config) {
        this(pool, config, null);
    }

    public boolean isUp() {
        HealthCounter counter = health;
        return counter == null || counter.isUp();
    }

    /** Up, enabled, not in a back-pressure cooldown and below its max_transactions: may take a new transaction. */
    boolean isAvailable() {
        return isEnabled() && isUp() && !isUnderPressure() && !isFull();
    }

    boolean isFull() {
        return config.maxTransactions() > 0 && transactions.get() >= config.maxTransactions();
    }

    int maxTransactions() {
        return config.maxTransactions();
    }

    /** How long a recovered backend's weight takes to ramp from 10 % to full. */
    void slowStart(Duration ramp) {
        slowStartNanos = ramp.toNanos();
    }

    /**
     * The weight, in hundredths, at {@code nowNanos}: full, or during the slow start after coming
     * back up, growing from a tenth, so a recovered backend is not flooded.
     */
    long effectiveWeight(int weight, long nowNanos) {
        long elapsed = nowNanos - upSinceNanos;
        if (slowStartNanos <= 0 || elapsed >= slowStartNanos) {
            return weight * 100L;
        }
        double fraction = Math.max(0.1, (double) elapsed / slowStartNanos);
        return Math.max(1, Math.round(weight * 100 * fraction));
    }

    /** Transactions open on this backend now. */
    public int transactions() {
        return transactions.get();
    }

    public void transactionStarted() {
        transactions.incrementAndGet();
    }

    public void transactionEnded() {
        if (transactions.decrementAndGet() == 0 && removed) {
            LOG.info("backend {} of pool {} removed: its last transaction has ended", name(), pool);
        }
    }

    public int priority() {
        return config.priority();
    }

    /** Not drained or halted by the admin, nor removed by a reload. */
    boolean isEnabled() {
        return adminState == ServerConfig.AdminState.UP && !removed;
    }

    public ServerConfig.AdminState adminState() {
        return adminState;
    }

    void adminState(ServerConfig.AdminState state) {
        adminState(state, "admin");
    }

    void adminState(ServerConfig.AdminState state, String by) {
        if (adminState != state) {
            LOG.info("backend {} of pool {}: {} -> {} ({})", name(), pool, adminState, state, by);
            adminState = state;
            adminSince = Instant.now();
        }
    }

    /**
     * A reload's settings for this server (same name and address). Its admin state follows the
     * file only when the file's state changed ({@code stateFromFile}); otherwise a drain or halt
     * set at run time stays (docs/operations.md, Reloading).
     */
    void reconfigure(ServerConfig next, boolean stateFromFile) {
        config = next;
        if (stateFromFile) {
            adminState(next.state(), "config reloaded");
        }
    }

    /**
     * A reload changed the pool's health check: rise and fall counted anew from the state the
     * backend is in; without a check it counts as up.
     */
    void healthCheck(HealthCheckConfig check) {
        health = check == null ? null : new HealthCounter(check.rise(), check.fall(), isUp());
    }

    /** For a server a reload adds: down until its first probe passes (HealthCounter#startingDown). */
    void startDown(int rise, int fall) {
        health = HealthCounter.startingDown(rise, fall);
    }

    /** For a server a reload adds: its weight ramps up over slow_start from now, as after coming back up. */
    void startedNow() {
        upSinceNanos = System.nanoTime();
    }

    /** The pool's back-pressure cooldowns after a reload; a cooldown already running still runs out. */
    synchronized void cooldowns(Duration base, Duration max) {
        if (!base.equals(baseCooldown) || !max.equals(maxCooldown)) {
            baseCooldown = base;
            maxCooldown = max;
            cooldownNanos = base.toNanos();
        }
    }

    /**
     * A reload took this server out of its pool: no new transactions; those in flight finish and
     * their sessions then close (BackendPool#release), as a drain that never ends.
     */
    void remove() {
        removed = true;
        LOG.info("backend {} of pool {} removed by a reload; {} transactions in flight finish there", name(), pool,
                transactions());
    }

    public boolean isRemoved() {
        return removed;
    }

    public boolean isUnderPressure() {
        return underPressure && System.nanoTime() - pressureUntilNanos < 0;
    }

    /**
     * Back pressure (a 4.3.x or 421 reply): no new transactions for the cooldown, which doubles
     * on each repeat; transactions in flight finish. Not a failure towards {@code fall}. Returns
     * the cooldown it started.
     */
    synchronized Duration pressure(String what) {
        lastFailure = what;
        lastFailureNanos = System.nanoTime();
        if (!isUnderPressure()) {
            pressureSince = Instant.now();
        }
        pressureEnds = Instant.now().plusNanos(cooldownNanos);
        pressureUntilNanos = System.nanoTime() + cooldownNanos;
        LOG.warn("backend {} of pool {} is under back pressure for {} s: {}", name(), pool, cooldownNanos / 1_000_000_000, LogText.escape(what));
        underPressure = true;
        Duration started = Duration.ofNanos(cooldownNanos);
        cooldownNanos = Math.min(cooldownNanos * 2, maxCooldown.toNanos());
        return started;
    }

    /**
     * Back pressure another instance met (shared_state): no new transactions here either until
     * its cooldown ends; a longer one already running here stays. This instance's own doubling
     * is left alone: it follows the replies seen here.
     */
    synchronized void pressureFor(Duration remaining, String what) {
        long until = System.nanoTime() + remaining.toNanos();
        if (isUnderPressure() && until - pressureUntilNanos <= 0) {
            return;
        }
        if (!isUnderPressure()) {
            pressureSince = Instant.now();
        }
        lastFailure = what;
        pressureEnds = Instant.now().plus(remaining);
        pressureUntilNanos = until;
        underPressure = true;
        LOG.warn("backend {} of pool {} is under back pressure for {} s, as another instance found: {}", name(), pool,
                remaining.toSeconds(), LogText.escape(what));
    }

    /** The cooldown the next back pressure would get. */
    synchronized Duration nextCooldown() {
        return Duration.ofNanos(cooldownNanos);
    }

    /** The last failure that counted against this backend, or null. */
    public String lastFailure() {
        return lastFailure;
    }

    long lastFailureNanos() {
        return lastFailureNanos;
    }

    /** Counts a probe's or a real transaction's result; logs the change when the state flips. */
    void report(boolean success, String what) {
        if (success) {
            // Success resets the doubling; a cooldown already running still runs out.
            synchronized (this) {
                cooldownNanos = baseCooldown.toNanos();
            }
        }
        if (!success) {
            lastFailure = what;
            lastFailureNanos = System.nanoTime();
        }
        HealthCounter counter = health;
        if (counter != null && counter.record(success)) {
            healthSince = Instant.now();
            if (counter.isUp()) {
                upSinceNanos = System.nanoTime();
                LOG.info("backend {} of pool {} is up ({})", name(), pool, LogText.escape(what));
            } else {
                LOG.warn("backend {} of pool {} is down: {}", name(), pool, LogText.escape(what));
            }
        }
    }

    public String pool() {
        return pool;
    }

    public State state() {
        if (adminState == ServerConfig.AdminState.HALT) {
            return State.HALTED;
        }
        if (adminState == ServerConfig.AdminState.DRAIN) {
            return State.DRAINING;
        }
        return !isUp() ? State.DOWN : isUnderPressure() ? State.PRESSURE : State.UP;
    }

    /** Since when {@link #state()} holds: the latest change that could have led to it. */
    public Instant stateSince() {
        State state = state();
        Instant since = adminSince;
        if (state == State.HALTED || state == State.DRAINING) {
            return since;
        }
        since = later(since, healthSince);
        if (state == State.PRESSURE) {
            return later(since, pressureSince);
        }
        Instant ended = pressureEnds;
        return state == State.UP && ended != null && ended.isBefore(Instant.now()) ? later(since, ended) : since;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The last health probe, or null before the first one ends (or when the pool has no health check). */
    public Probe lastProbe() {
        return lastProbe;
    }

    /** A probe's reply to MAIL FROM, shown as the reply of the round it belongs to. */
    void probeAnswered(String reply) {
        probeAnswer = reply;
    }

    /** A probe round ended: {@code what} says why it failed, or that it passed when no reply was recorded. */
    void probed(boolean passed, String what, Duration latency) {
        String answer = probeAnswer;
        probeAnswer = null;
        lastProbe = new Probe(passed, passed && answer != null ? answer : what, latency, Instant.now());
    }

    public String name() {
        return config.name();
    }

    public HostPort address() {
        return config.address();
    }

    public int weight() {
        return config.weight();
    }

    /** True the first time it is asked for this key: for warnings an admin needs once, not per message. */
    boolean warnOnce(String key) {
        return warned.add(key);
    }

    @Override
    public String toString() {
        return name() + " (" + address() + ")";
    }
}
