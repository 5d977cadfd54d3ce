package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxgate.config.BackendTlsConfig;
import org.mxgate.config.HealthCheckConfig;
import org.mxgate.config.PoolConfig;
import org.mxgate.config.ServerConfig;
import org.mxgate.config.ServerConfig.AdminState;
import org.mxgate.net.HostPort;

/**
 * The reload decision for one pool, without sockets: the running and the loaded entry in, what
 * to add, remove (drain) and keep out. A server is the same while its name and address stay.
 */
class PoolChangeTest {

    private static final HealthCheckConfig CHECK = new HealthCheckConfig(Duration.ofSeconds(5), Duration.ofSeconds(3),
            HealthCheckConfig.Probe.MAIL_FROM, "probe@mxgate.invalid", 2, 3);

    private static ServerConfig server(String name, String address, int weight, AdminState state) {
        return new ServerConfig(name, HostPort.parse(address), weight, state, 0, 0);
    }

    private static ServerConfig server(String name, String address) {
        return server(name, address, 1, AdminState.UP);
    }

    private static final ServerConfig A = server("a", "10.0.1.11:25");
    private static final ServerConfig B = server("b", "10.0.1.12:25");
    private static final ServerConfig C = server("c", "10.0.1.13:25");

    private static PoolConfig pool(HealthCheckConfig check, ServerConfig... servers) {
        return new PoolConfig("mailbox", PoolConfig.Balance.WEIGHTED_ROUND_ROBIN, 3, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(8), 8, Duration.ofSeconds(30),
                List.of(servers), PoolConfig.ForwardClientIp.NONE, null, check, Duration.ofSeconds(30),
                Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(10), Map.of());
    }

    private static PoolConfig pool(ServerConfig... servers) {
        return pool(CHECK, servers);
    }

    @Test
    void theSameEntryChangesNothing() {
        PoolChange change = PoolChange.between(pool(A, B), pool(A, B));
        assertEquals(List.of(), change.added());
        assertEquals(List.of(), change.removed());
        assertEquals(List.of(A, B), change.kept());
        assertEquals(Set.of(), change.stateFromFile());
        assertFalse(change.serversChanged() || change.healthCheckChanged() || change.settingsChanged());
        assertEquals(List.of(), change.describe(pool(A, B)));
    }

    @Test
    void aThirdServerIsAddedAndTheOthersKept() {
        PoolChange change = PoolChange.between(pool(A, B), pool(A, B, C));
        assertEquals(List.of(C), change.added());
        assertEquals(List.of(), change.removed());
        assertEquals(List.of(A, B), change.kept());
        assertTrue(change.serversChanged());
        assertFalse(change.healthCheckChanged() || change.settingsChanged(), "only the servers changed");
        assertEquals(List.of("pool mailbox: server c (10.0.1.13:25) added"), change.describe(pool(A, B)));
    }

    @Test
    void aServerLeftOutIsRemoved() {
        PoolChange change = PoolChange.between(pool(A, B, C), pool(A, C));
        assertEquals(List.of(B), change.removed());
        assertEquals(List.of(A, C), change.kept());
        assertEquals(List.of("pool mailbox: server b (10.0.1.12:25) removed: no new transactions, those in flight finish"),
                change.describe(pool(A, B, C)));
    }

    @Test
    void theSameNameAtAnotherAddressIsAnotherServer() {
        ServerConfig moved = server("b", "10.0.2.12:25");
        PoolChange change = PoolChange.between(pool(A, B), pool(A, moved));
        assertEquals(List.of(moved), change.added(), "health learnt at the old address says nothing of the new one");
        assertEquals(List.of(B), change.removed(), "the old address drains what it has");
        assertEquals(List.of(A), change.kept());
    }

    @Test
    void aServerListedInAnotherOrderIsNoChange() {
        PoolChange change = PoolChange.between(pool(A, B, C), pool(C, A, B));
        assertFalse(change.serversChanged());
        assertEquals(List.of(), change.describe(pool(A, B, C)));
    }

    @Test
    void weightChangesInPlace() {
        ServerConfig heavier = server("a", "10.0.1.11:25", 3, AdminState.UP);
        PoolChange change = PoolChange.between(pool(A, B), pool(heavier, B));
        assertEquals(List.of(heavier, B), change.kept());
        assertFalse(change.serversChanged(), "the same servers: the balancer keeps its list");
        assertEquals(Set.of(), change.stateFromFile());
        assertEquals(List.of("pool mailbox: server a weight 1 -> 3"), change.describe(pool(A, B)));
    }

    /**
     * The file's state replaces the run-time one only where the file's state changed: a drain set
     * at run time stays through a reload that edits something else (HAProxy keeps run-time state
     * across a reload only with a server state file; we reload in place, so we can).
     */
    @Test
    void theFilesStateAppliesOnlyWhereTheFileChangedIt() {
        ServerConfig drained = server("a", "10.0.1.11:25", 1, AdminState.DRAIN);
        ServerConfig heavierB = server("b", "10.0.1.12:25", 2, AdminState.UP);
        PoolChange change = PoolChange.between(pool(A, B), pool(drained, heavierB));
        assertEquals(Set.of("a"), change.stateFromFile());
        assertEquals(List.of("pool mailbox: server a state up -> drain", "pool mailbox: server b weight 1 -> 2"),
                change.describe(pool(A, B)));
        assertEquals(Set.of("a"), PoolChange.between(pool(drained, B), pool(A, B)).stateFromFile(),
                "drain back to up in the file enables it");
    }

    @Test
    void healthCheckAddedChangedOrRemoved() {
        HealthCheckConfig faster = new HealthCheckConfig(Duration.ofSeconds(1), Duration.ofSeconds(3),
                HealthCheckConfig.Probe.MAIL_FROM, "probe@mxgate.invalid", 2, 3);
        for (PoolChange change : List.of(PoolChange.between(pool((HealthCheckConfig) null, A), pool(CHECK, A)),
                PoolChange.between(pool(CHECK, A), pool(faster, A)), PoolChange.between(pool(CHECK, A), pool((HealthCheckConfig) null, A)))) {
            assertTrue(change.healthCheckChanged());
            assertFalse(change.settingsChanged() || change.serversChanged());
        }
        assertEquals(List.of("pool mailbox: health check changed, probes restarted"),
                PoolChange.between(pool(CHECK, A), pool(faster, A)).describe(pool(CHECK, A)));
    }

    static Stream<Arguments> poolSettings() {
        return Stream.<Map.Entry<String, UnaryOperator<PoolConfig>>>of(
                Map.entry("balance", p -> copy(p, PoolConfig.Balance.PRIORITY, p.maxAttempts(), p.idleConnections(),
                        p.forwardClientIp(), p.tls())),
                Map.entry("max_attempts", p -> copy(p, p.balance(), 5, p.idleConnections(), p.forwardClientIp(), p.tls())),
                Map.entry("idle_connections", p -> copy(p, p.balance(), p.maxAttempts(), 0, p.forwardClientIp(), p.tls())),
                Map.entry("forward_client_ip", p -> copy(p, p.balance(), p.maxAttempts(), p.idleConnections(),
                        PoolConfig.ForwardClientIp.XCLIENT, p.tls())),
                Map.entry("tls", p -> copy(p, p.balance(), p.maxAttempts(), p.idleConnections(), p.forwardClientIp(),
                        new BackendTlsConfig(BackendTlsConfig.Mode.OPPORTUNISTIC, null, false))))
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolSettings")
    void aPoolKeyIsASettingsChangeThatKeepsEveryServer(String key, UnaryOperator<PoolConfig> edit) {
        PoolConfig running = pool(A, B);
        PoolChange change = PoolChange.between(running, edit.apply(running));
        assertTrue(change.settingsChanged(), key);
        assertFalse(change.serversChanged() || change.healthCheckChanged(), key);
        assertEquals(List.of(A, B), change.kept(), key);
        assertEquals(List.of("pool mailbox: settings changed; idle backend sessions closed"), change.describe(running));
    }

    private static PoolConfig copy(PoolConfig p, PoolConfig.Balance balance, int maxAttempts, int idleConnections,
                                   PoolConfig.ForwardClientIp forward, BackendTlsConfig tls) {
        return new PoolConfig(p.name(), balance, maxAttempts, p.connectTimeout(), p.commandTimeout(), p.dataTimeout(),
                p.timeBudget(), idleConnections, p.idleTimeout(), p.servers(), forward, p.sourceAddress(), p.healthCheck(),
                p.pressureCooldown(), p.maxPressureCooldown(), p.slowStart(), p.slowMailFrom(), p.reserve(), tls);
    }
}
