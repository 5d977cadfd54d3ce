package org.mxgate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.mxgate.mail.Refusal;

/**
 * One listener's meters: its sessions, commands, accepted and refused messages, and the limits
 * its clients ran into. Every counter is resolved when the listener starts (a command's when its
 * caller asks once), so counting is an increment, with no lookup by tags, no lock and nothing
 * allocated. Thread-safe.
 */
public final class ListenerMeters {

    /**
     * The limits counted by {@code mxgate_limit_hits_total}, by the key that sets them
     * (docs/operations.md, "Metrics"); each has a series from the start, at zero.
     */
    public static final List<String> LIMITS = List.of("max_connections", "limits.max_connections",
            "limits.max_connections_per_ip", "limits.max_connection_rate_per_ip", "limits.max_message_rate_per_ip",
            "limits.max_message_rate_per_user", "limits.max_recipient_rate_per_ip", "limits.max_recipient_rate_per_user",
            "limits.max_recipients", "limits.max_message_size", "limits.max_errors", "limits.max_junk_commands",
            "limits.idle_timeout", "limits.data_block_timeout", "limits.min_data_rate", "limits.max_session_time",
            "auth.max_failures");

    private static final Duration[] SESSION_BUCKETS = {Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofMinutes(30)};

    private final String listener;
    private final MeterRegistry registry;
    private final Counter sessions;
    private final Timer sessionDuration;
    private final Counter accepted;
    private final TrafficHistory.Minutes acceptedMinutes;
    private final Counter[] refused = new Counter[Refusal.values().length];
    private final TrafficHistory.Minutes[] refusedMinutes = new TrafficHistory.Minutes[Refusal.values().length];
    private final Map<String, Counter> limitHits = new ConcurrentHashMap<>();

    ListenerMeters(String listener, MeterRegistry registry, TrafficHistory history) {
        this.listener = listener;
        this.registry = registry;
        this.sessions = Counter.builder("mxgate.sessions").description("Client connections accepted")
                .tag("listener", listener).register(registry);
        this.sessionDuration = Timer.builder("mxgate.session.duration")
                .description("How long client connections lasted, from accept to close")
                .tag("listener", listener).serviceLevelObjectives(SESSION_BUCKETS).register(registry);
        this.accepted = Counter.builder("mxgate.messages.accepted")
                .description("Messages a backend took, whose 250 went to the client").tag("listener", listener)
                .register(registry);
        this.acceptedMinutes = history.accepted(listener);
        for (Refusal reason : Refusal.values()) {
            refused[reason.ordinal()] = Counter.builder("mxgate.messages.refused")
                    .description("Connections, senders, recipients and messages refused, by reason")
                    .tags("listener", listener, "reason", reason.label()).register(registry);
            refusedMinutes[reason.ordinal()] = history.refused(listener, reason);
        }
        LIMITS.forEach(this::limitCounter);
    }

    /** A connection was accepted (before any limit or PROXY header is looked at). */
    public void sessionOpened() {
        sessions.increment();
    }

    public void sessionClosed(long nanos) {
        sessionDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A backend took a message and the client got its 250. */
    public void accepted() {
        accepted.increment();
        acceptedMinutes.add();
    }

    public void refused(Refusal reason) {
        refused[reason.ordinal()].increment();
        refusedMinutes[reason.ordinal()].add();
    }

    /** The counter of one SMTP verb on this listener: ask once per verb, then increment it. */
    public Counter command(String verb) {
        return Counter.builder("mxgate.commands").description("SMTP commands received, by verb")
                .tags("listener", listener, "verb", verb).register(registry);
    }

    /** @param limit the key that set the limit, one of {@link #LIMITS} */
    public void limitHit(String limit) {
        Counter counter = limitHits.get(limit);
        (counter != null ? counter : limitCounter(limit)).increment();
    }

    /** The gauge of sessions open now, read from what the listener itself keeps. */
    public void watchOpenSessions(IntSupplier open) {
        Gauge.builder("mxgate.sessions.open", open, IntSupplier::getAsInt)
                .description("Client connections open now").tag("listener", listener).strongReference(true)
                .register(registry);
    }

    private Counter limitCounter(String limit) {
        return limitHits.computeIfAbsent(limit, l -> Counter.builder("mxgate.limit.hits")
                .description("Clients stopped by a limit, by the key that set it")
                .tags("listener", listener, "limit", l).register(registry));
    }
}
