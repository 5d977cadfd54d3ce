package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mxgate.config.PoolConfig;
import org.mxgate.config.ServerConfig;
import org.mxgate.net.HostPort;

/** Smooth weighted round robin as nginx does it, plain round robin, and tried backends left out. */
class BalancerTest {

    private static Backend backend(String name, int weight) {
        return new Backend("pool", new ServerConfig(name, HostPort.parse("127.0.0.1:25"), weight));
    }

    private static String picks(Balancer balancer, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(balancer.choose(Set.of()).name());
        }
        return String.join(" ", out);
    }

    @Test
    void smoothWeightedRoundRobinSpreadsTheHeavyBackend() {
        Balancer balancer = new Balancer(List.of(backend("a", 5), backend("b", 1), backend("c", 1)),
                PoolConfig.Balance.WEIGHTED_ROUND_ROBIN);
        // nginx's documented sequence for weights 5, 1, 1.
        assertEquals("a a b a c a a a a b a c a a", picks(balancer, 14));
    }

    @Test
    void roundRobinIgnoresWeights() {
        Balancer balancer = new Balancer(List.of(backend("a", 5), backend("b", 1)), PoolConfig.Balance.ROUND_ROBIN);
        assertEquals("a b a b", picks(balancer, 4));
    }

    @Test
    void backendsAlreadyTriedAreNotChosenAndNoneLeftGivesNull() {
        Backend a = backend("a", 1);
        Backend b = backend("b", 1);
        Balancer balancer = new Balancer(List.of(a, b), PoolConfig.Balance.ROUND_ROBIN);
        for (int i = 0; i < 4; i++) {
            assertEquals(b, balancer.choose(Set.of(a)));
        }
        assertNull(balancer.choose(Set.of(a, b)));
    }

    @Test
    void downBackendsAreSkippedAndWhenAllAreDownTheLongestFailedIsTriedOnce() {
        Backend a = new Backend("pool", new ServerConfig("a", HostPort.parse("127.0.0.1:25"), 1), new HealthCounter(1, 1));
        Backend b = new Backend("pool", new ServerConfig("b", HostPort.parse("127.0.0.1:26"), 1), new HealthCounter(1, 1));
        Balancer balancer = new Balancer(List.of(a, b), PoolConfig.Balance.ROUND_ROBIN);
        a.report(false, "probe failed");
        for (int i = 0; i < 3; i++) {
            assertEquals(b, balancer.choose(Set.of()));
        }
        b.report(false, "probe failed");
        assertEquals(a, balancer.choose(Set.of()), "all down: the one that failed longest ago");
        assertNull(balancer.choose(Set.of(a)), "and only once per transaction");
        a.report(true, "probe passed");
        assertEquals(a, balancer.choose(Set.of()));
    }

    private static Backend server(String name, int weight, int priority) {
        return new Backend("pool", new ServerConfig(name, HostPort.parse("127.0.0.1:25"), weight,
                ServerConfig.AdminState.UP, priority, 0), new HealthCounter(1, 1));
    }

    @Test
    void weightsTwoToOneOverThreeThousandTransactions() {
        Backend a = server("a", 2, 0);
        Backend b = server("b", 1, 0);
        Balancer balancer = new Balancer(List.of(a, b), PoolConfig.Balance.WEIGHTED_ROUND_ROBIN);
        int toA = 0;
        for (int i = 0; i < 3000; i++) {
            toA += balancer.choose(Set.of()) == a ? 1 : 0;
        }
        assertEquals(2000, toA, "exactly two thirds, well within 3 %");
    }

    @Test
    void leastConnectionsPrefersTheBackendWithFewerOpenTransactions() {
        Backend slow = server("slow", 1, 0);
        Backend fast = server("fast", 1, 0);
        Balancer balancer = new Balancer(List.of(slow, fast), PoolConfig.Balance.LEAST_CONNECTIONS);
        slow.transactionStarted();
        slow.transactionStarted();
        fast.transactionStarted();
        for (int i = 0; i < 3; i++) {
            assertEquals(fast, balancer.choose(Set.of()));
        }
        fast.transactionStarted();
        fast.transactionStarted();
        assertEquals(slow, balancer.choose(Set.of()), "now the slow one has fewer");
    }

    @Test
    void priorityKeepsTheStandbyIdleUntilThePrimariesAreGone() {
        Backend p1 = server("p1", 1, 0);
        Backend p2 = server("p2", 1, 0);
        Backend standby = server("standby", 1, 1);
        Balancer balancer = new Balancer(List.of(p1, p2, standby), PoolConfig.Balance.PRIORITY);
        for (int i = 0; i < 100; i++) {
            assertTrue(balancer.choose(Set.of()) != standby);
        }
        assertEquals(standby, balancer.choose(Set.of(p1, p2)), "both primaries tried: the standby");
        p1.report(false, "down");
        p2.adminState(ServerConfig.AdminState.DRAIN);
        for (int i = 0; i < 10; i++) {
            assertEquals(standby, balancer.choose(Set.of()), "primaries unavailable: everything to the standby");
        }
    }

    @Test
    void aRecoveredBackendRampsUpInsteadOfJumping() {
        Backend steady = server("steady", 1, 0);
        Backend recovered = server("recovered", 1, 0);
        recovered.slowStart(java.time.Duration.ofHours(1));
        recovered.report(false, "probe failed");
        recovered.report(true, "probe passed");
        long now = System.nanoTime();
        assertEquals(10, recovered.effectiveWeight(1, now), "a tenth at first");
        assertEquals(50, recovered.effectiveWeight(1, now + java.time.Duration.ofMinutes(30).toNanos()));
        assertEquals(100, recovered.effectiveWeight(1, now + java.time.Duration.ofMinutes(61).toNanos()));
        assertEquals(100, steady.effectiveWeight(1, now), "a backend that never went down is at full weight");

        Balancer balancer = new Balancer(List.of(steady, recovered), PoolConfig.Balance.ROUND_ROBIN);
        int toRecovered = 0;
        for (int i = 0; i < 1100; i++) {
            toRecovered += balancer.choose(Set.of()) == recovered ? 1 : 0;
        }
        assertTrue(toRecovered >= 90 && toRecovered <= 110, "about a tenth of the share of its peer: " + toRecovered);
    }
}
