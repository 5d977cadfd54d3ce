package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mxgate.config.HealthCheckConfig;
import org.mxgate.config.PoolConfig;
import org.mxgate.config.ServerConfig;
import org.mxgate.config.ServerConfig.AdminState;
import org.mxgate.net.HostPort;

/**
 * BackendPool.reconfigure without sockets (no probes are started, no session is opened): the
 * same Backend objects for kept servers, with their health; added servers down until probed;
 * removed ones out of the balancer and marked to drain; the file's state applied only where
 * the file changed it.
 */
class BackendPoolReloadTest {

    private static final HealthCheckConfig CHECK = new HealthCheckConfig(Duration.ofSeconds(5), Duration.ofSeconds(3),
            HealthCheckConfig.Probe.MAIL_FROM, "probe@mxgate.invalid", 2, 1);

    private static ServerConfig server(String name, int weight, AdminState state) {
        return new ServerConfig(name, HostPort.parse("192.0.2." + (name.charAt(0) - 'a' + 10) + ":25"), weight, state, 0, 0);
    }

    private static ServerConfig server(String name) {
        return server(name, 1, AdminState.UP);
    }

    private static PoolConfig pool(HealthCheckConfig check, ServerConfig... servers) {
        return new PoolConfig("mailbox", PoolConfig.Balance.ROUND_ROBIN, 3, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(8), 8, Duration.ofSeconds(30),
                List.of(servers), PoolConfig.ForwardClientIp.NONE, null, check, Duration.ofSeconds(30),
                Duration.ofMinutes(10), Duration.ZERO, Duration.ofSeconds(10), Map.of());
    }

    private static BackendPool start(PoolConfig config) {
        return new BackendPool(config, new BackendClient("mx.test.invalid"), null);
    }

    private static Backend named(BackendPool pool, String name) {
        return pool.backends().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aKeptServerIsTheSameObjectWithItsHealthAndAnAddedOneIsDownUntilProbed() {
        BackendPool pool = start(pool(CHECK, server("a"), server("b")));
        Backend a = named(pool, "a");
        pool.report(a, false, "probe: connection refused");
        assertFalse(a.isUp(), "fall 1: one failure takes it down");

        List<String> changes = pool.reconfigure(pool(CHECK, server("a", 3, AdminState.UP), server("b"), server("c")), null);
        assertEquals(List.of("pool mailbox: server c (192.0.2.12:25) added", "pool mailbox: server a weight 1 -> 3"), changes);
        assertSame(a, named(pool, "a"), "a reload does not reset a kept server");
        assertFalse(a.isUp(), "nor its health");
        assertEquals(3, a.weight());
        Backend c = named(pool, "c");
        assertFalse(c.isUp(), "an added server is down until its first probe passes");
        for (int i = 0; i < 5; i++) {
            assertEquals("b", pool.choose(Set.of()).name(), "only b is up");
        }
        pool.report(c, true, "mail_from probe passed");
        assertTrue(c.isUp(), "one passed probe is enough for an added server");
    }

    @Test
    void withoutAHealthCheckAnAddedServerIsUpAtOnce() {
        BackendPool pool = start(pool(null, server("a")));
        pool.reconfigure(pool(null, server("a"), server("b")), null);
        assertTrue(named(pool, "b").isUp());
        assertEquals(Set.of("a", "b"), Set.of(pool.choose(Set.of()).name(), pool.choose(Set.of()).name()));
    }

    @Test
    void aRemovedServerLeavesTheBalancerAndDrainsWhatItHas() {
        BackendPool pool = start(pool(CHECK, server("a"), server("b")));
        Backend b = named(pool, "b");
        b.transactionStarted();
        pool.reconfigure(pool(CHECK, server("a")), null);
        assertTrue(b.isRemoved());
        assertEquals(List.of("a"), pool.backends().stream().map(Backend::name).toList());
        for (int i = 0; i < 5; i++) {
            assertEquals("a", pool.choose(Set.of()).name());
        }
        assertEquals(null, pool.choose(Set.of(named(pool, "a"))), "not even as a last resort");
        assertEquals(1, b.transactions(), "its transaction in flight goes on");
        b.transactionEnded();
        assertThrows(IllegalArgumentException.class, () -> pool.drain("b"), "the admin no longer sees it");
    }

    @Test
    void theFilesStateReplacesTheRunTimeOneOnlyWhereTheFileChangedIt() {
        BackendPool pool = start(pool(null, server("a"), server("b")));
        Backend a = named(pool, "a");
        pool.drain("a");
        pool.reconfigure(pool(null, server("a"), server("b", 2, AdminState.UP)), null);
        assertEquals(AdminState.DRAIN, a.adminState(), "drained at run time, and the file's state did not change");
        pool.reconfigure(pool(null, server("a", 1, AdminState.HALT), server("b", 2, AdminState.UP)), null);
        assertEquals(AdminState.HALT, a.adminState(), "the file changed it");
        pool.reconfigure(pool(null, server("a"), server("b", 2, AdminState.UP)), null);
        assertEquals(AdminState.UP, a.adminState(), "and changed it back");
    }

    @Test
    void anUnchangedEntryChangesNothing() {
        PoolConfig config = pool(CHECK, server("a"), server("b"));
        BackendPool pool = start(config);
        List<Backend> before = pool.backends();
        assertEquals(List.of(), pool.reconfigure(pool(CHECK, server("a"), server("b")), null));
        assertSame(before, pool.backends());
    }

    @Test
    void aChangedHealthCheckKeepsEachServersState() {
        BackendPool pool = start(pool(CHECK, server("a"), server("b")));
        pool.report(named(pool, "a"), false, "probe: timeout");
        HealthCheckConfig stricter = new HealthCheckConfig(Duration.ofSeconds(1), Duration.ofSeconds(1),
                HealthCheckConfig.Probe.EHLO, "probe@mxgate.invalid", 3, 2);
        assertEquals(List.of("pool mailbox: health check changed, probes restarted"),
                pool.reconfigure(pool(stricter, server("a"), server("b")), null));
        Backend a = named(pool, "a");
        Backend b = named(pool, "b");
        assertFalse(a.isUp());
        assertTrue(b.isUp());
        pool.report(b, false, "probe: timeout");
        assertTrue(b.isUp(), "fall is 2 now");
        pool.report(b, false, "probe: timeout");
        assertFalse(b.isUp());
    }
}
