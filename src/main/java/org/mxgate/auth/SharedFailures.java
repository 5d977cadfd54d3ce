package org.mxgate.auth;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Failed logins counted by every instance that shares them (shared_state), beside this
 * instance's own {@link AuthFailures}: five wrong passwords on one instance refuse the client on
 * all of them. Asked before each login within a small bounded wait; told of each failure
 * without waiting.
 */
public interface SharedFailures {

    /** Failures counted for a client address and a login over every instance. */
    record Counts(long client, long login) {
    }

    /**
     * The counts for this client and login (null: the client only), or null when they could not be
     * had within the bounded wait (the shared store is away or slow). Completes on any thread, never
     * exceptionally.
     */
    CompletableFuture<Counts> read(InetAddress client, String login);

    /** One more failure for the client and, when there is one, the login; nothing waits for it. */
    void record(InetAddress client, String login);

    /**
     * When {@link #read} had no answer: true lets the login go on, judged on this instance's own
     * counts (fail open); false answers it 454 4.7.0 (fail closed). {@code shared_state.auth_when_away}.
     */
    boolean failsOpen();
}
