package org.mxgate.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mxgate.mail.InstanceId;

/** Session ids: 8 lower-case base-36 characters unique within the instance, then the instance id. */
class SessionIdFactoryTest {

    private static final InstanceId MX1 = new InstanceId("mx1");

    @Test
    void anIdIsACounterAndTheInstance() {
        SessionIdFactory ids = new SessionIdFactory(MX1, 35);
        SessionId id = ids.next();
        assertEquals("00000010mx1", id.value());
        assertEquals(MX1, id.instance());
        assertEquals("00000011mx1", ids.next().toString());
    }

    @Test
    void theCounterWrapsWithinItsEightCharacters() {
        SessionIdFactory ids = new SessionIdFactory(MX1, 2_821_109_907_456L - 2);
        assertEquals("zzzzzzzzmx1", ids.next().value());
        assertEquals("00000000mx1", ids.next().value());
    }

    @Test
    void idsOfTheRunningFactoryHaveTheFormAndNeverRepeat() {
        SessionIdFactory ids = new SessionIdFactory(new InstanceId("7"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = ids.next().value();
            assertTrue(id.matches("[0-9a-z]{8}7"), id);
            assertTrue(seen.add(id), id);
        }
    }

    @Test
    void twoInstancesWhoseCountersMeetStillGiveDifferentIds() {
        SessionIdFactory first = new SessionIdFactory(MX1, 1000);
        SessionIdFactory second = new SessionIdFactory(new InstanceId("mx2"), 1000);
        for (int i = 0; i < 100; i++) {
            assertNotEquals(first.next().value(), second.next().value());
        }
    }
}
