package org.mxgate.limits;

import java.util.concurrent.atomic.AtomicInteger;
import org.mxgate.metrics.GatewayMetrics;

/**
 * The gateway's limits on its clients, shared by every listener: the counters per client
 * address and login, and the process-wide cap on open sessions ({@code max_connections} in
 * conf/mxgate.yml), which protects this process's file descriptors and memory and so is never
 * shared with other instances. Thread-safe.
 */
public final class ClientLimits {

    private final Counters counters;
    private final String hostname;
    private final int maxSessions;
    private final GatewayMetrics metrics;
    private final AtomicInteger sessions = new AtomicInteger();

    /** With meters nothing reads: for tests and tools. */
    public ClientLimits(Counters counters, String hostname, int maxSessions) {
        this(counters, hostname, maxSessions, new GatewayMetrics());
    }

    /**
     * @param maxSessions client sessions the process holds at once; 0 is no limit
     * @param metrics where each listener counts the limits its clients run into
     */
    public ClientLimits(Counters counters, String hostname, int maxSessions, GatewayMetrics metrics) {
        this.counters = counters;
        this.hostname = hostname;
        this.maxSessions = maxSessions;
        this.metrics = metrics;
    }

    /** The limits of one listener, which counts its clients apart from the other listeners'. */
    public ListenerLimits forListener(String listener) {
        return new ListenerLimits(listener, hostname, counters, this, metrics.listener(listener));
    }

    /** Client sessions open now, over every listener. */
    public int openSessions() {
        return sessions.get();
    }

    boolean takeSession() {
        return take(sessions, maxSessions);
    }

    void giveBackSession() {
        sessions.decrementAndGet();
    }

    /** One more on {@code open} unless that passes {@code max} (0: no limit). */
    static boolean take(AtomicInteger open, int max) {
        int now = open.incrementAndGet();
        if (max > 0 && now > max) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }
}
