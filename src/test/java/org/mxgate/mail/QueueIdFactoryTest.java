package org.mxgate.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Queue ids: 12 upper-case base-36 characters of time and counter, then the instance id in upper
 * case; time-ordered; unique within an instance, and apart between instances whose time and
 * counter meet.
 */
class QueueIdFactoryTest {

    /** 2026-11-27T12:00:00Z. */
    private static final long NOON = 1_795_780_800_000L;

    @Test
    void anIdIsTimeCounterAndInstance() {
        QueueIdFactory ids = new QueueIdFactory(new InstanceId("mx1"), () -> NOON, 9);
        assertEquals("MWYXITC0000AMX1", ids.next().value());
        assertEquals("MWYXITC0000BMX1", ids.next().value());
        assertEquals(QueueIdFactory.STEM_LENGTH, "MWYXITC0000A".length());
    }

    @Test
    void everyIdOfTheRunningFactoryHasTheForm() {
        QueueIdFactory ids = new QueueIdFactory(new InstanceId("a"));
        for (int i = 0; i < 1000; i++) {
            String id = ids.next().value();
            assertTrue(id.matches("[0-9A-Z]{12}A"), id);
        }
    }

    @Test
    void idsSortByTime() {
        AtomicLong clock = new AtomicLong(NOON);
        // A counter about to wrap: a later millisecond still sorts later.
        QueueIdFactory ids = new QueueIdFactory(new InstanceId("mx1"), clock::get, (1 << 20) - 2);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(ids.next().value());
            clock.addAndGet(1);
        }
        List<String> sorted = new ArrayList<>(made);
        sorted.sort(null);
        assertEquals(sorted, made);
    }

    @Test
    void withinOneMillisecondTheCounterKeepsAMillionIdsApart() {
        QueueIdFactory ids = new QueueIdFactory(new InstanceId("mx1"), () -> NOON, 0);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1 << 20; i++) {
            assertTrue(seen.add(ids.next().value()));
        }
    }

    @Test
    void twoInstancesWhoseClocksAndCountersMeetStillGiveDifferentIds() {
        QueueIdFactory first = new QueueIdFactory(new InstanceId("mx1"), () -> NOON, 42);
        QueueIdFactory second = new QueueIdFactory(new InstanceId("mx2"), () -> NOON, 42);
        for (int i = 0; i < 100; i++) {
            String a = first.next().value();
            String b = second.next().value();
            assertEquals(a.substring(0, QueueIdFactory.STEM_LENGTH), b.substring(0, QueueIdFactory.STEM_LENGTH));
            assertNotEquals(a, b);
        }
    }

    @Test
    void instanceIdsOfDifferentLengthsCannotMakeTheSameId() {
        // "1" after one stem never equals "11" after another: every stem is 12 characters.
        QueueIdFactory shortId = new QueueIdFactory(new InstanceId("1"), () -> NOON, 0);
        QueueIdFactory longId = new QueueIdFactory(new InstanceId("11"), () -> NOON, 0);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(shortId.next().value()));
            assertTrue(seen.add(longId.next().value()));
        }
    }
}
