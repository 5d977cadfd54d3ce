package org.mxgate.backend;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.mxgate.config.PoolConfig;
import org.mxgate.config.ServerConfig;

/**
 * What a reload changes in one pool, decided from the running and the loaded {@code pools:}
 * entry alone. A server stays the same server (its health, counters and admin state kept) while
 * its name and address stay; the same name at a new address is another machine, so the old one
 * is removed (drained) and the new one added. A kept server takes the file's admin state only
 * when the file's state changed, so a drain set at run time survives an unrelated reload. Pure.
 *
 * @param added servers new to the pool, in the file's order
 * @param removed running servers that leave it: they drain
 * @param kept every loaded server that stays, with its loaded settings
 * @param stateFromFile names of kept servers whose {@code state} changed in the file
 * @param healthCheckChanged the {@code health_check} block differs (added, removed or changed)
 * @param settingsChanged a pool key other than {@code servers} and {@code health_check} differs
 */
record PoolChange(List<ServerConfig> added, List<ServerConfig> removed, List<ServerConfig> kept,
                  Set<String> stateFromFile, boolean healthCheckChanged, boolean settingsChanged) {

    PoolChange {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        kept = List.copyOf(kept);
        stateFromFile = Set.copyOf(stateFromFile);
    }

    static PoolChange between(PoolConfig running, PoolConfig loaded) {
        Map<String, ServerConfig> before = byName(running.servers());
        Map<String, ServerConfig> after = byName(loaded.servers());
        List<ServerConfig> added = new ArrayList<>();
        List<ServerConfig> kept = new ArrayList<>();
        Set<String> stateFromFile = new LinkedHashSet<>();
        for (ServerConfig server : loaded.servers()) {
            ServerConfig old = before.get(server.name());
            if (old == null || !old.address().equals(server.address())) {
                added.add(server);
                continue;
            }
            kept.add(server);
            if (old.state() != server.state()) {
                stateFromFile.add(server.name());
            }
        }
        List<ServerConfig> removed = running.servers().stream()
                .filter(s -> !after.containsKey(s.name()) || !after.get(s.name()).address().equals(s.address()))
                .toList();
        return new PoolChange(added, removed, kept, stateFromFile,
                !Objects.equals(running.healthCheck(), loaded.healthCheck()),
                !settingsOf(running).equals(settingsOf(loaded)));
    }

    /** Servers came or went: the balancer and the prober need the new list. */
    boolean serversChanged() {
        return !added.isEmpty() || !removed.isEmpty();
    }

    /**
     * One line per change, for the log and the reload's notes; {@code running} tells what a kept
     * server's settings were. Empty when the reload leaves this pool as it was.
     */
    List<String> describe(PoolConfig running) {
        String pool = "pool " + running.name() + ": ";
        List<String> lines = new ArrayList<>();
        added.forEach(s -> lines.add(pool + "server " + s.name() + " (" + s.address() + ") added"));
        removed.forEach(s -> lines.add(pool + "server " + s.name() + " (" + s.address()
                + ") removed: no new transactions, those in flight finish"));
        Map<String, ServerConfig> before = byName(running.servers());
        for (ServerConfig now : kept) {
            String changes = fieldChanges(before.get(now.name()), now);
            if (!changes.isEmpty()) {
                lines.add(pool + "server " + now.name() + " " + changes);
            }
        }
        if (healthCheckChanged) {
            lines.add(pool + "health check changed, probes restarted");
        }
        if (settingsChanged) {
            lines.add(pool + "settings changed; idle backend sessions closed");
        }
        return lines;
    }

    private static String fieldChanges(ServerConfig old, ServerConfig now) {
        List<String> changes = new ArrayList<>();
        compare(changes, "weight", old.weight(), now.weight());
        compare(changes, "priority", old.priority(), now.priority());
        compare(changes, "max_transactions", old.maxTransactions(), now.maxTransactions());
        compare(changes, "state", old.state().name().toLowerCase(), now.state().name().toLowerCase());
        return String.join(", ", changes);
    }

    private static void compare(List<String> changes, String key, Object old, Object now) {
        if (!old.equals(now)) {
            changes.add(key + " " + old + " -> " + now);
        }
    }

    // Names are unique within a pool (PoolReader refuses a duplicate).
    private static Map<String, ServerConfig> byName(List<ServerConfig> servers) {
        return servers.stream().collect(Collectors.toMap(ServerConfig::name, Function.identity()));
    }

    /** The pool's own keys: everything but its servers and its health check. */
    private static PoolConfig settingsOf(PoolConfig pool) {
        return new PoolConfig(pool.name(), pool.balance(), pool.maxAttempts(), pool.connectTimeout(),
                pool.commandTimeout(), pool.dataTimeout(), pool.timeBudget(), pool.idleConnections(), pool.idleTimeout(),
                List.of(), pool.forwardClientIp(), pool.sourceAddress(), null, pool.pressureCooldown(),
                pool.maxPressureCooldown(), pool.slowStart(), pool.slowMailFrom(), pool.reserve(), pool.tls());
    }
}
