package org.mxgate.limits;

import java.time.Duration;

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
 */
public interface Counters {

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
}
