package org.mxgate.limits;

import java.time.Duration;

/**
 * What a key's window holds now: how many events, and how long until the oldest of them leaves
 * the window (zero when there are none). When the count has just reached a limit, that is when
 * the next event fits again: the retry hint of a refusal.
 */
public record Tally(long count, Duration oldestLeavesIn) {

    public static final Tally NONE = new Tally(0, Duration.ZERO);

    /** The wait in whole seconds, rounded up, at least one: "try again in 40 s". */
    public long retrySeconds() {
        long seconds = (oldestLeavesIn.toNanos() + 999_999_999L) / 1_000_000_000L;
        return Math.max(1, seconds);
    }
}
