package org.mxgate.shared;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance is with the others on Redis now, or away since when: what the log, the
 * metrics and the status page say, and what the counters ask before they add the other
 * instances' counts. Coming back runs the hooks that tell Redis again what it may have lost.
 * Thread-safe.
 */
final class Presence {

    private static final Logger LOG = LoggerFactory.getLogger(Presence.class);

    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final String redis;
    private final String instance;
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile boolean connected;
    private volatile Instant awaySince = Instant.now();
    private volatile Peers peers;
    // Guarded by this: the instance_ids shared with another live instance, as last warned about.
    private Set<String> sharedIds = Set.of();
    // Guarded by this.
    private boolean everConnected;
    private boolean closed;

    /** @param redis the server as the log names it (without a password) */
    Presence(String redis, String instance) {
        this.redis = redis;
        this.instance = instance;
        this.peers = new Peers(instance, null, List.of());
    }

    boolean isConnected() {
        return connected;
    }

    Instant awaySince() {
        return connected ? null : awaySince;
    }

    /**
     * "shared state: Redis away since 2026-11-27 10:42:07 UTC, limits per instance"; or, while it
     * answers, a warning when another live instance has this one's instance_id; else null.
     */
    String notice() {
        Instant since = awaySince();
        if (since != null) {
            return "shared state: Redis away since " + SINCE.format(since) + " UTC, limits per instance";
        }
        Set<String> twice = peers.sharedIds();
        return twice.isEmpty() ? null : "shared state: instance_id " + String.join(", ", twice)
                + " is used by more than one live instance, so their queue and session ids can collide;"
                + " give each instance its own (docs/scaling.md)";
    }

    Peers peers() {
        return peers;
    }

    /** Run after each (re)connection, and now if connected. */
    void onReconnect(Runnable hook) {
        synchronized (this) {
            hooks.add(hook);
            if (!connected) {
                return;
            }
        }
        hook.run();
    }

    /** A heartbeat succeeded: these instances are alive, this one included. */
    void answered(List<InstanceView> alive) {
        Peers now = new Peers(instance, Instant.now(), alive);
        peers = now;
        warnOfSharedIds(now.sharedIds());
        back();
    }

    /** Once per change: two instances with one instance_id write ids that can collide in merged logs. */
    private synchronized void warnOfSharedIds(Set<String> twice) {
        if (!twice.equals(sharedIds) && !twice.isEmpty()) {
            LOG.warn("shared state: instance_id {} is used by more than one live instance on Redis {}; their queue and"
                    + " session ids can collide: give each instance its own instance_id", String.join(", ", twice), redis);
        }
        sharedIds = twice;
    }

    private synchronized void back() {
        if (connected || closed) {
            return;
        }
        connected = true;
        if (everConnected) {
            LOG.info("shared state: Redis {} answers again (away since {}); limits and flags are shared with {} instances",
                    redis, awaySince, peers.alive().size());
        } else {
            LOG.info("shared state: connected to Redis {} as instance {}; {} instances share limits and flags", redis,
                    instance, peers.alive().size());
        }
        everConnected = true;
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("shared state: after reconnecting: {}", e.toString());
            }
        }
    }

    /** A heartbeat failed, or the connection was lost. */
    synchronized void away(String why) {
        if (!connected) {
            return;
        }
        connected = false;
        awaySince = Instant.now();
        LOG.warn("shared state: Redis {} is away ({}); limits count on this instance alone until it answers again", redis,
                why);
    }

    synchronized void close() {
        closed = true;
        connected = false;
    }
}
