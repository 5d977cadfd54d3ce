package org.mxgate.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The in-process counters: a sliding window in twelve steps, a hint that says when the oldest
 * event leaves, release that never goes below zero and forgets an empty key, and a bound on the
 * keys held whatever is counted.
 */
class LocalCountersTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final ManualTicker ticker = new ManualTicker();
    private final LocalCounters counters = new LocalCounters(ticker);

    @Test
    void countsWithinTheWindowAndForgetsWhatLeftIt() {
        assertEquals(1, counters.increment("k", MINUTE).count());
        ticker.advance(Duration.ofSeconds(20));
        assertEquals(2, counters.increment("k", MINUTE).count());
        ticker.advance(Duration.ofSeconds(20));
        assertEquals(3, counters.increment("k", MINUTE).count());
        // The first event, 61 s old, has left; the second (41 s) and third (21 s) are still in.
        ticker.advance(Duration.ofSeconds(21));
        assertEquals(2, counters.read("k", MINUTE).count());
        ticker.advance(Duration.ofSeconds(40));
        assertEquals(0, counters.read("k", MINUTE).count());
    }

    @Test
    void theHintIsWhenTheOldestEventLeaves() {
        counters.increment("k", MINUTE);
        ticker.advance(Duration.ofSeconds(30));
        Tally tally = counters.increment("k", MINUTE);
        assertEquals(2, tally.count());
        // The first event left at most 60 s after it, so within 30 s from now, and not before 25 s (5 s steps).
        long hint = tally.retrySeconds();
        assertTrue(hint > 25 && hint <= 30, "hint " + hint);
        ticker.advance(tally.oldestLeavesIn());
        assertEquals(1, counters.read("k", MINUTE).count(), "the oldest left exactly when the hint said");
    }

    @Test
    void anEventLeavesBetweenElevenAndTwelveStepsAfterIt() {
        counters.increment("k", MINUTE);
        ticker.advance(Duration.ofSeconds(55));
        assertEquals(1, counters.read("k", MINUTE).count(), "still counted after 55 s");
        ticker.advance(Duration.ofSeconds(5));
        assertEquals(0, counters.read("k", MINUTE).count(), "gone after 60 s");
    }

    @Test
    void releaseTakesBackOneAndForgetsAnEmptyKey() {
        counters.increment("slot", Duration.ofDays(1));
        counters.increment("slot", Duration.ofDays(1));
        counters.release("slot");
        assertEquals(1, counters.read("slot", Duration.ofDays(1)).count());
        counters.release("slot");
        counters.release("slot");
        assertEquals(0, counters.read("slot", Duration.ofDays(1)).count(), "never below zero");
        assertEquals(0, counters.size(), "an empty key is not kept");
        counters.release("never-counted");
        assertEquals(0, counters.size());
    }

    @Test
    void aSlotTakenHoursAgoIsStillGivenBack() {
        counters.increment("slot", Duration.ofDays(1));
        ticker.advance(Duration.ofHours(5));
        counters.increment("slot", Duration.ofDays(1));
        assertEquals(2, counters.read("slot", Duration.ofDays(1)).count());
        counters.release("slot");
        counters.release("slot");
        assertEquals(0, counters.read("slot", Duration.ofDays(1)).count());
    }

    @Test
    void aNewWindowForAKeyStartsItOver() {
        counters.increment("k", MINUTE);
        counters.increment("k", MINUTE);
        assertEquals(1, counters.increment("k", Duration.ofMinutes(5)).count());
        assertEquals(0, counters.read("k", MINUTE).count());
    }

    @Test
    void aKeyIsForgottenOneWindowAfterItsLastEvent() {
        for (int i = 0; i < 1000; i++) {
            counters.increment("rate-" + i, MINUTE);
        }
        assertEquals(1000, counters.size());
        ticker.advance(Duration.ofSeconds(61));
        assertEquals(0, counters.size());
    }

    @Test
    void twoHundredThousandDistinctAddressesStayWithinTheBound() {
        for (int i = 0; i < 2 * LocalCounters.MAX_KEYS; i++) {
            counters.increment("internet|connections|10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff)
                    + "/" + (i >> 24), MINUTE);
            if (i % 10_000 == 0) {
                assertTrue(counters.size() <= LocalCounters.MAX_KEYS, counters.size() + " keys after " + i);
            }
        }
        long size = counters.size();
        assertTrue(size <= LocalCounters.MAX_KEYS && size > LocalCounters.MAX_KEYS / 2, size + " keys");
    }
}
