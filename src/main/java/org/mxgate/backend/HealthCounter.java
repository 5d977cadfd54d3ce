package org.mxgate.backend;

/**
 * Rise and fall counting for one backend, as HAProxy does it: {@code fall} failures in a row
 * take an up backend down, {@code rise} successes in a row bring a down one back. Pure and
 * thread-safe; says when the state changed, so the change is logged once.
 */
final class HealthCounter {

    private final int rise;
    private final int fall;
    private boolean up = true;
    private int streak;

    HealthCounter(int rise, int fall) {
        this(rise, fall, true);
    }

    /** @param up the state to start in: a reload that changes rise or fall keeps the backend's state */
    HealthCounter(int rise, int fall, boolean up) {
        this.rise = rise;
        this.fall = fall;
        this.up = up;
    }

    /**
     * Down until its first passed probe, as HAProxy's {@code init-state down}: for a server a
     * reload adds, which has never been seen. A failure first, and it needs {@code rise} in a row.
     */
    static HealthCounter startingDown(int rise, int fall) {
        HealthCounter counter = new HealthCounter(rise, fall, false);
        counter.streak = rise - 1;
        return counter;
    }

    synchronized boolean isUp() {
        return up;
    }

    /** Counts one result; true when it changed the state. */
    synchronized boolean record(boolean success) {
        if (success == up) {
            streak = 0;
            return false;
        }
        streak++;
        if (streak >= (up ? fall : rise)) {
            up = !up;
            streak = 0;
            return true;
        }
        return false;
    }
}
