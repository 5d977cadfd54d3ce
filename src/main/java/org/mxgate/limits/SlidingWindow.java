package org.mxgate.limits;

import java.time.Duration;

/**
 * The events of one key over a sliding window, kept in {@link #STEPS} steps of a twelfth of the
 * window each: the window slides a step at a time, so a count covers the last eleven steps and
 * the current one (a minute window counts in 5 s steps). Twelve ints a key, whatever the rate:
 * a log of every event would grow with the limit. Thread-safe; times are a ticker's nanoseconds.
 */
final class SlidingWindow {

    static final int STEPS = 12;

    private final long windowNanos;
    private final long stepNanos;
    private final int[] counts = new int[STEPS];
    /** The step the newest count is in: time divided by the step length. */
    private long newest;

    SlidingWindow(Duration window, long now) {
        this.windowNanos = window.toNanos();
        this.stepNanos = Math.max(1, windowNanos / STEPS);
        this.newest = Math.floorDiv(now, stepNanos);
    }

    long windowNanos() {
        return windowNanos;
    }

    synchronized void add(long now) {
        slideTo(now);
        counts[slot(newest)]++;
    }

    /** Takes back one event, the latest; returns whether the window is empty now (so the key can go). */
    synchronized boolean removeLatest(long now) {
        slideTo(now);
        for (int age = 0; age < STEPS; age++) {
            int slot = slot(newest - age);
            if (counts[slot] > 0) {
                counts[slot]--;
                break;
            }
        }
        return total() == 0;
    }

    synchronized Tally tally(long now) {
        slideTo(now);
        long total = total();
        if (total == 0) {
            return Tally.NONE;
        }
        long oldest = newest;
        for (int age = STEPS - 1; age >= 0; age--) {
            if (counts[slot(newest - age)] > 0) {
                oldest = newest - age;
                break;
            }
        }
        // The oldest step leaves the window when the step STEPS after it begins.
        long leaves = (oldest + STEPS) * stepNanos;
        return new Tally(total, Duration.ofNanos(Math.max(0, leaves - now)));
    }

    /** Clears the steps that have left the window since the last call. */
    private void slideTo(long now) {
        long step = Math.floorDiv(now, stepNanos);
        if (step <= newest) {
            return;
        }
        if (step - newest >= STEPS) {
            java.util.Arrays.fill(counts, 0);
        } else {
            for (long s = newest + 1; s <= step; s++) {
                counts[slot(s)] = 0;
            }
        }
        newest = step;
    }

    private long total() {
        long sum = 0;
        for (int c : counts) {
            sum += c;
        }
        return sum;
    }

    private static int slot(long step) {
        return (int) Math.floorMod(step, (long) STEPS);
    }
}
