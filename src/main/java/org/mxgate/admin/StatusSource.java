package org.mxgate.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.mxgate.backend.Backend;
import org.mxgate.backend.BackendPool;
import org.mxgate.listener.Gateway;
import org.mxgate.listener.Listener;
import org.mxgate.mail.SpoolBudget;
import org.mxgate.metrics.TrafficHistory;
import org.mxgate.shared.Peers;

/**
 * Reads the running gateway into a {@link StatusSnapshot}, and the facts {@code /healthz}
 * judges. It reads the very state the gateway acts on (each backend's state, the listeners'
 * sessions, the spool budget), never a copy kept in step, and looks the pools up on every call:
 * a reload may replace them. Reads only atomic fields, so it runs on the admin event loop.
 */
final class StatusSource {

    private final Gateway gateway;
    private final TrafficHistory traffic;
    private final SpoolBudget spool;
    private final boolean canChange;
    private final Supplier<String> notice;
    private final Supplier<Peers> peers;
    private final AtomicReference<StatusSnapshot.Change> lastChange = new AtomicReference<>();

    StatusSource(Gateway gateway, TrafficHistory traffic, SpoolBudget spool, boolean canChange) {
        this(gateway, traffic, spool, canChange, () -> null, () -> null);
    }

    /**
     * @param notice the banner for the top of the page (shared state away), null when there is none
     * @param peers the instances sharing state and what each sees, null without shared state
     */
    StatusSource(Gateway gateway, TrafficHistory traffic, SpoolBudget spool, boolean canChange, Supplier<String> notice,
                 Supplier<Peers> peers) {
        this.notice = notice;
        this.peers = peers;
        this.gateway = gateway;
        this.traffic = traffic;
        this.spool = spool;
        this.canChange = canChange;
    }

    Gateway gateway() {
        return gateway;
    }

    void changed(StatusSnapshot.Change change) {
        lastChange.set(change);
    }

    /** The pools now in force (a reload may have added or removed some), in the file's order. */
    List<BackendPool> pools() {
        return List.copyOf(gateway.pools().values());
    }

    GatewayHealth health() {
        Set<String> routed = gateway.routedPools();
        Map<String, Map<String, Backend.State>> states = new LinkedHashMap<>();
        for (BackendPool pool : pools()) {
            if (routed.contains(pool.config().name())) {
                Map<String, Backend.State> backends = new LinkedHashMap<>();
                pool.backends().forEach(b -> backends.put(b.name(), b.state()));
                states.put(pool.config().name(), backends);
            }
        }
        return GatewayHealth.judge(gateway.isDraining(), spool.isNearlySpent(), states);
    }

    StatusSnapshot snapshot() {
        List<StatusSnapshot.ListenerRow> listeners = new ArrayList<>();
        for (Listener listener : gateway.listeners()) {
            String name = listener.config().name();
            String host = listener.config().listen().host();
            listeners.add(new StatusSnapshot.ListenerRow(name, (host.contains(":") ? "[" + host + "]" : host) + ":"
                    + listener.port(), listener.openSessions(), traffic.listenerAcceptedLastHour(name),
                    traffic.listenerRefusedLastHour(name)));
        }
        Set<String> routed = gateway.routedPools();
        List<StatusSnapshot.PoolRow> pools = new ArrayList<>();
        for (BackendPool pool : pools()) {
            List<StatusSnapshot.BackendRow> backends = new ArrayList<>();
            for (Backend backend : pool.backends()) {
                backends.add(row(pool.config().name(), backend));
            }
            pools.add(new StatusSnapshot.PoolRow(pool.config().name(), pool.config().balance().name(),
                    routed.contains(pool.config().name()), pool.config().healthCheck() != null, backends));
        }
        return new StatusSnapshot(gateway.config().hostname(), gateway.ids().instance().value(), Instant.now(), health(),
                listeners, pools, canChange, lastChange.get(), notice.get(), peers.get());
    }

    StatusSnapshot.BackendRow row(String pool, Backend backend) {
        return new StatusSnapshot.BackendRow(backend.name(), backend.address().toString(), backend.weight(),
                backend.state(), backend.stateSince(), backend.lastProbe(), backend.transactions(),
                lastHour(traffic.backendPerMinute(pool, backend.name())));
    }

    /** Exactly 60 counts, the most recent last, whatever the view returned. */
    private static long[] lastHour(long[] counts) {
        long[] out = new long[BarChart.BARS];
        if (counts != null) {
            int n = Math.min(counts.length, out.length);
            System.arraycopy(counts, counts.length - n, out, out.length - n, n);
        }
        return Arrays.copyOf(out, out.length);
    }
}
