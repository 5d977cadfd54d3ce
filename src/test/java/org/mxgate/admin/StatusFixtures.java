package org.mxgate.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mxgate.backend.Backend;
import org.mxgate.shared.InstanceView;
import org.mxgate.shared.Peers;

/** Snapshots for the renderers' tests: one listener, one pool of two backends with uneven traffic. */
final class StatusFixtures {

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private StatusFixtures() {
    }

    static long[] minutes(long each, long last) {
        long[] counts = new long[60];
        java.util.Arrays.fill(counts, each);
        counts[59] = last;
        return counts;
    }

    static StatusSnapshot.BackendRow backend(String name, Backend.State state, long[] perMinute) {
        return new StatusSnapshot.BackendRow(name, "10.0.1.11:25", 2, state, NOW.minus(Duration.ofMinutes(7)),
                new Backend.Probe(true, "MAIL FROM answered 250 2.1.0 Ok", Duration.ofMillis(12), NOW.minusSeconds(3)),
                1, perMinute);
    }

    static StatusSnapshot snapshot(String hostname, String pool, List<StatusSnapshot.BackendRow> backends,
                                   boolean canChange, GatewayHealth health) {
        return new StatusSnapshot(hostname, "mx1", NOW, health,
                List.of(new StatusSnapshot.ListenerRow("internet", "0.0.0.0:2525", 3, 120,
                        Map.of("relay denied", 4L, "dnsbl", 2L))),
                List.of(new StatusSnapshot.PoolRow(pool, "WEIGHTED_ROUND_ROBIN", true, true, backends)), canChange, null);
    }

    /**
     * The same gateway sharing state with two more instances: mx2 holds 4 sessions and sees
     * mailbox/mx2 down, mx3 has a backend the others have not ({@code name}, in pool {@code pool}).
     */
    static StatusSnapshot withPeers(String pool, String name) {
        StatusSnapshot alone = twoBackends(Backend.State.UP, true);
        List<InstanceView.BackendSeen> usual = List.of(new InstanceView.BackendSeen("mailbox", "mx1", "up"),
                new InstanceView.BackendSeen("mailbox", "mx2", "up"));
        Peers peers = new Peers("mx1.1a-aaaaaa", NOW.minusSeconds(4), List.of(
                new InstanceView("mx1.1a-aaaaaa", 3, usual),
                new InstanceView("mx2.2b-bbbbbb", 4, List.of(usual.get(0), new InstanceView.BackendSeen("mailbox", "mx2", "down"))),
                new InstanceView("mx3.3c-cccccc", -1, List.of(usual.get(0), usual.get(1),
                        new InstanceView.BackendSeen(pool, name, "halted")))));
        return new StatusSnapshot(alone.hostname(), alone.instance(), alone.now(), alone.health(), alone.listeners(),
                alone.pools(), alone.canChange(), alone.lastChange(), null, peers);
    }

    static StatusSnapshot twoBackends(Backend.State second, boolean canChange) {
        return snapshot("mx.example.test", "mailbox", List.of(backend("mx1", Backend.State.UP, minutes(10, 0)),
                backend("mx2", second, minutes(5, 0))), canChange, new GatewayHealth(true, "ok"));
    }
}
