package org.mxgate.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mxgate.mail.Refusal;

class TrafficHistoryTest {

    private static final long MINUTE = 60_000;

    // A wall clock the test moves on: mid-minute, far from zero, as a real one is.
    private final AtomicLong now = new AtomicLong(29_000_000L * MINUTE + 12_345);
    private final TrafficHistory history = new TrafficHistory(now::get);

    @Test
    void countsInTheCurrentMinuteTheLastElement() {
        TrafficHistory.Minutes mx1 = history.delivered("mailbox", "mx1");
        mx1.add();
        mx1.add();
        long[] minutes = history.backendPerMinute("mailbox", "mx1");
        assertEquals(TrafficHistory.MINUTES, minutes.length);
        assertEquals(2, minutes[59]);
        assertEquals(2, sum(minutes));
    }

    @Test
    void bucketsRollWithTheClock() {
        TrafficHistory.Minutes mx1 = history.delivered("mailbox", "mx1");
        mx1.add();
        now.addAndGet(MINUTE);
        mx1.add();
        mx1.add();
        now.addAndGet(3 * MINUTE);
        mx1.add();
        long[] minutes = history.backendPerMinute("mailbox", "mx1");
        long[] expected = new long[60];
        expected[55] = 1;
        expected[56] = 2;
        expected[59] = 1;
        assertArrayEquals(expected, minutes);
    }

    @Test
    void minutesOlderThanAnHourDrop() {
        TrafficHistory.Minutes mx1 = history.delivered("mailbox", "mx1");
        mx1.add();
        now.addAndGet(59 * MINUTE);
        assertEquals(1, history.backendPerMinute("mailbox", "mx1")[0], "59 minutes on: the oldest minute shown");
        now.addAndGet(MINUTE);
        assertEquals(0, sum(history.backendPerMinute("mailbox", "mx1")), "an hour on: gone");
        // The slot it held is reused for the new minute, counted from zero.
        mx1.add();
        assertEquals(1, history.backendPerMinute("mailbox", "mx1")[59]);
        assertEquals(1, sum(history.backendPerMinute("mailbox", "mx1")));
    }

    @Test
    void aClockFarAheadForgetsEverything() {
        history.delivered("mailbox", "mx1").add();
        history.accepted("internet").add();
        now.addAndGet(24 * 60 * MINUTE);
        assertEquals(0, sum(history.backendPerMinute("mailbox", "mx1")));
        assertEquals(0, history.listenerAcceptedLastHour("internet"));
    }

    @Test
    void unknownNamesAreZeros() {
        assertArrayEquals(new long[60], history.backendPerMinute("mailbox", "nowhere"));
        assertArrayEquals(new long[60], history.backendPerMinute("nopool", "mx1"));
        assertEquals(0, history.listenerAcceptedLastHour("nolistener"));
        assertEquals(0, history.listenerRefusedLastHour("nolistener").values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void backendsAreKeptApartByPoolAndName() {
        history.delivered("mailbox", "mx1").add();
        history.delivered("outbound", "mx1").add();
        history.delivered("outbound", "mx1").add();
        assertSame(history.delivered("mailbox", "mx1"), history.delivered("mailbox", "mx1"));
        assertEquals(1, sum(history.backendPerMinute("mailbox", "mx1")));
        assertEquals(2, sum(history.backendPerMinute("outbound", "mx1")));
    }

    @Test
    void listenersCountAcceptedAndRefusedByReason() {
        history.accepted("internet").add();
        now.addAndGet(30 * MINUTE);
        history.accepted("internet").add();
        history.refused("internet", Refusal.DNSBL).add();
        history.refused("internet", Refusal.DNSBL).add();
        history.refused("internet", Refusal.RELAY_DENIED).add();
        history.refused("internal", Refusal.SIZE).add();
        assertEquals(2, history.listenerAcceptedLastHour("internet"));
        Map<String, Long> refused = history.listenerRefusedLastHour("internet");
        assertEquals(List.of("relay_denied", "dnsbl", "limits", "size", "auth", "backend_refusal", "syntax", "other"),
                new ArrayList<>(refused.keySet()));
        assertEquals(2L, refused.get("dnsbl"));
        assertEquals(1L, refused.get("relay_denied"));
        assertEquals(0L, refused.get("size"));
        assertEquals(1L, history.listenerRefusedLastHour("internal").get("size"));
        now.addAndGet(30 * MINUTE);
        assertEquals(1, history.listenerAcceptedLastHour("internet"), "the first one is an hour old now");
    }

    @Test
    void concurrentCountsAreNotLost() throws InterruptedException {
        TrafficHistory.Minutes mx1 = history.delivered("mailbox", "mx1");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    mx1.add();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(40_000, history.backendPerMinute("mailbox", "mx1")[59]);
    }

    @Test
    void namesBeyondTheBoundAreNotKept() {
        for (int i = 0; i < TrafficHistory.MAX_NAMES; i++) {
            history.delivered("mailbox", "b" + i).add();
        }
        TrafficHistory.Minutes extra = history.delivered("mailbox", "one-too-many");
        extra.add();
        assertEquals(0, sum(history.backendPerMinute("mailbox", "one-too-many")));
        assertEquals(1, sum(history.backendPerMinute("mailbox", "b0")), "those kept still count");
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }
}
