package org.mxgate.backend;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mxgate.config.ServerConfig;
import org.mxgate.net.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend mail server as a pool knows it, with its health. Identity is the object: one per
 * configured server. Thread-safe.
 */
public final class Backend {

    private static final Logger LOG = LoggerFactory.getLogger(Backend.class);

    private final String pool;
    private final ServerConfig config;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final HealthCounter health;
    private volatile String lastFailure;
    private volatile long lastFailureNanos;

    /** @param health rise/fall counting, or null when the pool has no health check (always up) */
    Backend(String pool, ServerConfig config, HealthCounter health) {
        this.pool = pool;
        this.config = config;
        this.health = health;
    }

    public Backend(String pool, ServerConfig config) {
        this(pool, config, null);
    }

    public boolean isUp() {
        return health == null || health.isUp();
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
        if (!success) {
            lastFailure = what;
            lastFailureNanos = System.nanoTime();
        }
        if (health != null && health.record(success)) {
            if (health.isUp()) {
                LOG.info("backend {} of pool {} is up ({})", name(), pool, what);
            } else {
                LOG.warn("backend {} of pool {} is down: {}", name(), pool, what);
            }
        }
    }

    public String pool() {
        return pool;
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
