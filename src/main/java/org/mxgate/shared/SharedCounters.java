package org.mxgate.shared;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.mxgate.limits.Counters;
import org.mxgate.limits.LocalCounters;
import org.mxgate.limits.Tally;

/**
 * {@link Counters} shared by every instance on one Redis, as the mirror {@code Counters}
 * describes: this instance's own events are counted here at once ({@link LocalCounters}), each
 * is sent to Redis without waiting, and the answer tells how many the other instances counted,
 * which the next answers here add in. Concurrency slots ({@link #takeSlot}) are the exception:
 * asked of Redis atomically within {@code shared_state.timeout}, held there as this instance's
 * share of a hash that counts only while the instance's lease lasts, so the slots of an
 * instance that died end with its lease. While Redis is away, or slower than the timeout, every
 * answer is this instance's own count (fail open: mail keeps flowing), and when it is back the
 * slots this instance holds are written there again. Whatever Redis answers, this instance's own
 * counts still hold it to each limit: Redis can add the others' events, never remove its own.
 * Never blocks; thread-safe.
 */
public final class SharedCounters implements Counters {

    /** Keys whose other instances' counts are remembered here: as many as the local store keeps. */
    private static final long MAX_KNOWN = 50_000;

    /** What the other instances counted for a key, by the latest answer, and until when that holds (ticker nanos). */
    private record Known(long count, long ttlNanos) {
    }

    private final SharedStore store;
    private final LocalCounters own;
    private final Cache<String, Known> others;
    /** The slots this instance holds, by key: what Redis is told again after an outage. */
    private final Map<String, Long> slots = new ConcurrentHashMap<>();

    public SharedCounters(SharedStore store) {
        this(store, Ticker.systemTicker());
    }

    /** @param ticker what the rate windows are measured with: the system's, or a test's */
    public SharedCounters(SharedStore store, Ticker ticker) {
        this.store = store;
        this.own = new LocalCounters(ticker);
        this.others = Caffeine.newBuilder().maximumSize(MAX_KNOWN).ticker(ticker).executor(Runnable::run)
                .expireAfter(Expiry.writing((String key, Known known) -> Duration.ofNanos(known.ttlNanos()))).build();
        store.onReconnect(this::tellSlotsAgain);
    }

    @Override
    public Tally increment(String key, Duration window) {
        Tally mine = own.increment(key, window);
        long counted = mine.count();
        store.eval(store.scripts().rate, new String[] {store.key("rate:" + key)}, String.valueOf(window.toMillis()), "1")
                .thenAccept(answer -> learn(key, number(answer, 0) - counted, step(window)));
        return withOthers(key, mine);
    }

    @Override
    public Tally read(String key, Duration window) {
        return withOthers(key, own.read(key, window));
    }

    @Override
    public void release(String key) {
        own.release(key);
        boolean[] wasSlot = new boolean[1];
        // One atomic step per key: a slot taken meanwhile on another thread is never lost.
        slots.computeIfPresent(key, (k, n) -> {
            wasSlot[0] = true;
            return n <= 1 ? null : n - 1;
        });
        if (wasSlot[0]) {
            store.eval(store.scripts().releaseSlot, new String[] {slotKey(key)}, store.instance());
        } else {
            store.eval(store.scripts().releaseRate, new String[] {store.key("rate:" + key)});
        }
    }

    @Override
    public CompletionStage<Tally> takeSlot(String key, long max) {
        if (!store.isConnected()) {
            store.fellBack();
            return CompletableFuture.completedFuture(takeHere(key, max));
        }
        CompletableFuture<Object> asked = store.eval(store.scripts().takeSlot,
                new String[] {slotKey(key), store.key("instances")}, store.instance(), String.valueOf(max),
                String.valueOf(SLOT.toMillis()));
        return store.bounded(asked, answer -> new long[] {number(answer, 0), number(answer, 1)}).thenApply(answer -> {
            if (answer == null) {
                // Too slow or failed: answered here. What Redis does with the question meanwhile is set right once it answers.
                store.fellBack();
                Tally here = takeHere(key, max);
                asked.whenComplete((late, error) -> tellSlots(key));
                return here;
            }
            boolean taken = answer[0] == 1;
            long held = answer[1];
            if (!taken) {
                return new Tally(held + 1, Duration.ZERO);
            }
            Tally mine = own.increment(key, SLOT);
            if (max > 0 && mine.count() > max) {
                // Redis may only add the others' slots to this instance's, never take its own away:
                // whatever it answers, one instance alone holds no more than the limit.
                own.release(key);
                store.eval(store.scripts().releaseSlot, new String[] {slotKey(key)}, store.instance());
                return mine;
            }
            long heldHere = slots.merge(key, 1L, Long::sum);
            learn(key, held - heldHere, store.config().leaseTime());
            return new Tally(Math.max(held, mine.count()), Duration.ZERO);
        });
    }

    @Override
    public boolean isShared() {
        return true;
    }

    @Override
    public CompletionStage<Tally> readEverywhere(String key, Duration window) {
        if (!store.isConnected()) {
            store.fellBack();
            return CompletableFuture.completedFuture(own.read(key, window));
        }
        return store.bounded(store.eval(store.scripts().rate, new String[] {store.key("rate:" + key)},
                String.valueOf(window.toMillis()), "0"), answer -> number(answer, 0) <= 0 ? Tally.NONE
                        : new Tally(number(answer, 0), Duration.ofMillis(Math.max(0, number(answer, 1)))))
                .thenApply(everywhere -> {
                    if (everywhere == null) {
                        store.fellBack();
                        return own.read(key, window);
                    }
                    return everywhere;
                });
    }

    /** The slots held on this instance, and by the others as last heard while Redis answers. */
    private Tally takeHere(String key, long max) {
        Tally mine = own.increment(key, SLOT);
        Tally all = withOthers(key, mine);
        if (max > 0 && all.count() > max) {
            own.release(key);
            return all;
        }
        slots.merge(key, 1L, Long::sum);
        return all;
    }

    private Tally withOthers(String key, Tally mine) {
        if (!store.isConnected()) {
            return mine;
        }
        Known known = others.getIfPresent(key);
        return known == null || known.count() <= 0 ? mine : new Tally(mine.count() + known.count(), mine.oldestLeavesIn());
    }

    private void learn(String key, long othersCount, Duration holds) {
        others.put(key, new Known(Math.max(0, othersCount), holds.toNanos()));
    }

    /** Redis learns again what this instance holds of one key: after an answer came too late, or an outage. */
    private void tellSlots(String key) {
        store.eval(store.scripts().setSlots, new String[] {slotKey(key)}, store.instance(),
                String.valueOf(slots.getOrDefault(key, 0L)), String.valueOf(SLOT.toMillis()));
    }

    /** After an outage Redis may have restarted empty: every slot this instance holds is written again. */
    private void tellSlotsAgain() {
        List.copyOf(slots.keySet()).forEach(this::tellSlots);
    }

    private String slotKey(String key) {
        return store.key("slots:" + key);
    }

    /** A twelfth of the window: how long another instance's count, learnt now, holds. */
    private static Duration step(Duration window) {
        return window.dividedBy(12);
    }

    private static long number(Object answer, int index) {
        Object value = ((List<?>) answer).get(index);
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }
}
