package org.mxgate.metrics;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.mxgate.mail.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last hour of traffic, minute by minute, for the status page: messages each backend took,
 * and messages each listener accepted and refused by reason. Each series is a ring of 60 minute
 * slots, so memory is fixed per name, and names come from the config only (at most
 * {@value #MAX_NAMES} backends and as many listeners; more are counted nowhere). Thread-safe and
 * lock-free: counting is one compare-and-set on the slot that holds both the minute and its count.
 */
public final class TrafficHistory {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficHistory.class);

    /** Minutes kept: the current one and the 59 before it. */
    public static final int MINUTES = 60;
    static final int MAX_NAMES = 1000;
    private static final long MILLIS_PER_MINUTE = 60_000;
    private static final long COUNT_BITS = 0xFFFF_FFFFL;

    private final LongSupplier millis;
    private final Map<String, Map<String, Minutes>> backends = new ConcurrentHashMap<>();
    private final Map<String, ListenerMinutes> listeners = new ConcurrentHashMap<>();
    private final AtomicInteger backendNames = new AtomicInteger();

    /** @param millis the wall clock in milliseconds: {@code System::currentTimeMillis}, or a test's own */
    public TrafficHistory(LongSupplier millis) {
        this.millis = millis;
    }

    /**
     * Messages the backend took in each of the last 60 minutes, oldest first; the last element is
     * the current minute, still counting. Zeros for a backend that never took one.
     */
    public long[] backendPerMinute(String pool, String backend) {
        Minutes minutes = backends.getOrDefault(pool, Map.of()).get(backend);
        return minutes == null ? new long[MINUTES] : minutes.lastHour(minuteNow());
    }

    /** Messages the listener accepted (a backend's 250 passed on) in the current minute and the 59 before it. */
    public long listenerAcceptedLastHour(String listener) {
        ListenerMinutes minutes = listeners.get(listener);
        return minutes == null ? 0 : minutes.accepted.sum(minuteNow());
    }

    /**
     * Refusals on the listener in the current minute and the 59 before it: every reason of
     * {@link Refusal}, by its label, in that order, zeros included.
     */
    public Map<String, Long> listenerRefusedLastHour(String listener) {
        ListenerMinutes minutes = listeners.get(listener);
        long now = minuteNow();
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (Refusal reason : Refusal.values()) {
            byReason.put(reason.label(), minutes == null ? 0 : minutes.refused.get(reason).sum(now));
        }
        return Collections.unmodifiableMap(byReason);
    }

    /** The series a backend's deliveries are counted in; resolved once, counted often. */
    Minutes delivered(String pool, String backend) {
        Map<String, Minutes> ofPool = backends.computeIfAbsent(pool, p -> new ConcurrentHashMap<>());
        Minutes known = ofPool.get(backend);
        if (known != null) {
            return known;
        }
        if (backendNames.incrementAndGet() > MAX_NAMES) {
            backendNames.decrementAndGet();
            LOG.warn("traffic history: more than {} backends; {}/{} is not kept", MAX_NAMES, pool, backend);
            return new Minutes();
        }
        Minutes added = new Minutes();
        Minutes raced = ofPool.putIfAbsent(backend, added);
        if (raced != null) {
            backendNames.decrementAndGet();
            return raced;
        }
        return added;
    }

    /** The series of a listener's accepted messages. */
    Minutes accepted(String listener) {
        return listener(listener).accepted;
    }

    /** The series of a listener's refusals for one reason. */
    Minutes refused(String listener, Refusal reason) {
        return listener(listener).refused.get(reason);
    }

    private ListenerMinutes listener(String listener) {
        ListenerMinutes known = listeners.get(listener);
        if (known != null) {
            return known;
        }
        if (listeners.size() >= MAX_NAMES) {
            LOG.warn("traffic history: more than {} listeners; {} is not kept", MAX_NAMES, listener);
            return new ListenerMinutes();
        }
        return listeners.computeIfAbsent(listener, l -> new ListenerMinutes());
    }

    private long minuteNow() {
        return Math.floorDiv(millis.getAsLong(), MILLIS_PER_MINUTE);
    }

    /** A listener's accepted messages and its refusals, a series for each reason. */
    private final class ListenerMinutes {
        final Minutes accepted = new Minutes();
        final Map<Refusal, Minutes> refused = new EnumMap<>(Refusal.class);

        ListenerMinutes() {
            for (Refusal reason : Refusal.values()) {
                refused.put(reason, new Minutes());
            }
        }
    }

    /**
     * One count per minute for the last {@value #MINUTES} minutes. Each slot holds its minute in
     * the high 32 bits and the count in the low 32, so a slot left from an hour ago is recognised
     * and started over in the same compare-and-set that counts.
     */
    final class Minutes {

        private final AtomicLongArray slots = new AtomicLongArray(MINUTES);

        /** One more in the current minute. */
        void add() {
            add(minuteNow());
        }

        private void add(long minute) {
            int slot = (int) Math.floorMod(minute, MINUTES);
            while (true) {
                long held = slots.get(slot);
                long heldMinute = held >>> 32;
                long next;
                if (heldMinute == minute) {
                    next = held + 1;
                } else if (heldMinute < minute) {
                    next = (minute << 32) | 1;
                } else {
                    // A thread that stalled for an hour: its minute has left the window.
                    return;
                }
                if (slots.compareAndSet(slot, held, next)) {
                    return;
                }
            }
        }

        long[] lastHour(long now) {
            long[] counts = new long[MINUTES];
            for (int i = 0; i < MINUTES; i++) {
                long minute = now - (MINUTES - 1) + i;
                if (minute < 0) {
                    continue;
                }
                long held = slots.get((int) Math.floorMod(minute, MINUTES));
                if (held >>> 32 == minute) {
                    counts[i] = held & COUNT_BITS;
                }
            }
            return counts;
        }

        long sum(long now) {
            long total = 0;
            for (long count : lastHour(now)) {
                total += count;
            }
            return total;
        }
    }
}
