package org.mxgate.limits;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one store of the counts behind every per-client limit: events counted under a key over a
 * sliding window. A rate counts each event (a connection, a MAIL, a RCPT) and lets it age out;
 * a concurrency count takes a slot with {@link #increment} and gives it back with
 * {@link #release} when the session ends. Implementations are thread-safe and never block: a
 * call costs a memory access, never a wait on I/O.
 *
 * <p>Why synchronous: every question is asked on an event loop, in the middle of a state machine
 * that answers the client in the same call ({@code SmtpSession} at MAIL and RCPT,
 * {@code ConnectionLimiter} before the greeting). A store shared by several instances (the
 * scale-out issue, on Redis) fits behind this interface as a mirror: it answers from its local
 * counts at once, sends each increment and release to the shared store asynchronously, and
 * folds the other instances' counts back in as they arrive. A client then never waits on the
 * network for its reply, and when the shared store is away each instance goes on with its own
 * counts (DESIGN.md, "Beyond one machine"): mail keeps flowing. The price is a lag of one round
 * trip before another instance's events count here, so a burst spread over instances can pass a
 * limit by what arrives within that lag. An interface of {@code CompletionStage}s would have made
 * every MAIL and RCPT wait for the store, or a session effect of its own, for no better answer.
 *
 * <p>One question may wait: {@link #takeSlot}, asked by {@code ConnectionLimiter} before the
 * greeting, where nothing waits on the session yet. The mirror's lag would let a burst of
 * connections spread over instances pass {@code max_connections_per_ip} by what arrives within a
 * round trip; there a shared store asks atomically (check and take in one step), waits at most
 * its small {@code shared_state.timeout}, and answers from its local counts when that passes
 * (docs/scaling.md, "What is shared").
 */
public interface Counters {

    /**
     * The window of a concurrency slot ({@link #takeSlot}): longer than any session lasts. In
     * process it is only a safety net; a shared store holds slots as leases that end with the
     * instance that holds them.
     */
    Duration SLOT = Duration.ofDays(1);

    /**
     * Counts one event of {@code key} now and answers with the events counted within the last
     * {@code window}, this one included. A key is always used with the same window; the store
     * may forget a key once {@code window} has passed since its last change.
     */
    Tally increment(String key, Duration window);

    /** The events counted for {@code key} within the last {@code window}, without counting one. */
    Tally read(String key, Duration window);

    /**
     * Takes back the latest event of {@code key}: a slot whose session ended, or an event the
     * limit refused (a refusal is not counted, so the retry hint it gives holds). Never goes
     * below zero; a key the store has forgotten is left alone.
     */
    void release(String key);

    /**
     * Takes a concurrency slot of {@code key} unless {@code max} are held already (0: no limit),
     * given back with {@link #release}. Answers with the slots held, this one included when it was
     * taken; a count above {@code max} means it was refused and nothing was taken. This store
     * answers at once; a shared one may take up to its bounded wait, and completes on a thread of
     * its own. Never completes exceptionally.
     */
    default CompletionStage<Tally> takeSlot(String key, long max) {
        Tally held = increment(key, SLOT);
        if (max > 0 && held.count() > max) {
            release(key);
        }
        return CompletableFuture.completedFuture(held);
    }

    /**
     * Whether other instances count with this store (shared_state), so that {@link #readEverywhere}
     * can know more than {@link #read}.
     */
    default boolean isShared() {
        return false;
    }

    /**
     * The events counted for {@code key} within {@code window} by every instance that shares this
     * store: asked of the shared store within its bounded wait, and answered from {@link #read}
     * past it, on a thread of the store's. This store answers at once. Never completes exceptionally.
     */
    default CompletionStage<Tally> readEverywhere(String key, Duration window) {
        return CompletableFuture.completedFuture(read(key, window));
    }
}
