package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
