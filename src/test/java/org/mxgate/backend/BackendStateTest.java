package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.mxgate.config.ServerConfig;
import org.mxgate.net.HostPort;

/**
 * The state the status page shows: the admin's state before health, health before back pressure,
 * and since when it holds; and the last probe's reply and latency.
 */
class BackendStateTest {

    private static Backend backend() {
        return new Backend("mailbox", new ServerConfig("mx1", new HostPort("127.0.0.1", 25), 1), new HealthCounter(1, 1),
                Duration.ofHours(1), Duration.ofHours(2));
    }

    @Test
    void adminStateComesFirstThenHealthThenPressure() {
        Backend b = backend();
        assertEquals(Backend.State.UP, b.state());
        b.pressure("failed at MAIL: 452 4.3.1 Insufficient system resources");
        assertEquals(Backend.State.PRESSURE, b.state());
        b.report(false, "probe: connection refused");
        assertEquals(Backend.State.DOWN, b.state());
        b.adminState(ServerConfig.AdminState.DRAIN);
        assertEquals(Backend.State.DRAINING, b.state());
        b.adminState(ServerConfig.AdminState.HALT);
        assertEquals(Backend.State.HALTED, b.state());
        b.adminState(ServerConfig.AdminState.UP);
        assertEquals(Backend.State.DOWN, b.state());
        b.report(true, "mail_from probe passed");
        assertEquals(Backend.State.PRESSURE, b.state(), "the cooldown of an hour still runs");
    }

    @Test
    void sinceIsTheLatestChangeThatLedToTheState() throws Exception {
        Backend b = backend();
        Instant created = b.stateSince();
        assertEquals(created, b.stateSince(), "unchanged while nothing happens");
        Instant before = Instant.now();
        b.report(false, "probe: connection refused");
        Instant down = b.stateSince();
        assertFalse(down.isBefore(before));
        b.adminState(ServerConfig.AdminState.DRAIN);
        Instant drained = b.stateSince();
        assertFalse(drained.isBefore(down));
        b.adminState(ServerConfig.AdminState.DRAIN);
        assertEquals(drained, b.stateSince(), "the same state again is no change");
        b.adminState(ServerConfig.AdminState.UP);
        assertEquals(Backend.State.DOWN, b.state());
        assertFalse(b.stateSince().isBefore(drained), "down since it was enabled again");
    }

    @Test
    void probeKeepsTheMailFromReplyOrTheProblem() {
        Backend b = backend();
        assertNull(b.lastProbe());
        b.probeAnswered("MAIL FROM answered 250 2.1.0 Ok");
        b.probed(true, "mail_from probe passed", Duration.ofMillis(12));
        assertEquals("MAIL FROM answered 250 2.1.0 Ok", b.lastProbe().reply());
        assertTrue(b.lastProbe().passed());
        assertEquals(Duration.ofMillis(12), b.lastProbe().latency());
        b.probed(false, "probe: MAIL FROM answered 452 4.3.1 Insufficient system resources", Duration.ofMillis(40));
        assertEquals("probe: MAIL FROM answered 452 4.3.1 Insufficient system resources", b.lastProbe().reply());
        assertFalse(b.lastProbe().passed());
        b.probed(true, "ehlo probe passed", Duration.ofMillis(3));
        assertEquals("ehlo probe passed", b.lastProbe().reply(), "an answer is used once, for its own round");
    }
}
