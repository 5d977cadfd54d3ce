package org.mxgate.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mxgate.backend.Backend;
import org.mxgate.shared.Peers;

/**
 * One reading of the running gateway, taken for one response: what the status page, the
 * status table and the JSON API show. A value: the renderers read only this, never the
 * gateway, so they are tested without one.
 *
 * @param instance this gateway's instance id (instance_id), which ends its queue and session ids
 * @param canChange whether the API takes changes (a token file is configured)
 * @param lastChange the latest drain, halt or enable through the API, or null
 * @param notice a banner above everything (shared state on Redis away), or null
 * @param peers the instances sharing state on Redis and what each sees, or null without shared state
 */
public record StatusSnapshot(String hostname, String instance, Instant now, GatewayHealth health,
                             List<ListenerRow> listeners, List<PoolRow> pools, boolean canChange, Change lastChange,
                             String notice, Peers peers) {

    /** Without a banner, alone (no shared state). */
    public StatusSnapshot(String hostname, String instance, Instant now, GatewayHealth health,
                          List<ListenerRow> listeners, List<PoolRow> pools, boolean canChange, Change lastChange) {
        this(hostname, instance, now, health, listeners, pools, canChange, lastChange, null, null);
    }

    public StatusSnapshot {
        listeners = List.copyOf(listeners);
        pools = List.copyOf(pools);
    }

    /** A listener: its bound address, sessions now, and the last hour's messages. */
    public record ListenerRow(String name, String address, int sessions, long acceptedLastHour,
                              Map<String, Long> refusedLastHour) {
        public ListenerRow {
            refusedLastHour = Map.copyOf(refusedLastHour);
        }

        public long refusedTotal() {
            return refusedLastHour.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * @param routed whether a listener's policy routes mail here (only then does /healthz judge it)
     * @param probed whether the pool has a health check
     */
    public record PoolRow(String name, String balance, boolean routed, boolean probed, List<BackendRow> backends) {
        public PoolRow {
            backends = List.copyOf(backends);
        }

        /** The highest per-minute count of any backend: the common scale of the pool's charts. */
        public long peakPerMinute() {
            return backends.stream().flatMapToLong(b -> java.util.Arrays.stream(b.perMinute())).max().orElse(0);
        }

        public long lastHour() {
            return backends.stream().mapToLong(BackendRow::lastHour).sum();
        }
    }

    /**
     * A backend.
     *
     * @param lastProbe the last health probe, or null (none yet, or no health check)
     * @param inFlight transactions open on it now
     * @param perMinute messages it took in each of the last 60 minutes, oldest first
     */
    public record BackendRow(String name, String address, int weight, Backend.State state, Instant since,
                             Backend.Probe lastProbe, int inFlight, long[] perMinute) {
        public BackendRow {
            perMinute = perMinute.clone();
        }

        @Override
        public long[] perMinute() {
            return perMinute.clone();
        }

        public long lastHour() {
            return java.util.Arrays.stream(perMinute).sum();
        }
    }

    /** A change made through the API: what, to which backend, from where, when. */
    public record Change(String action, String pool, String backend, String from, Instant at) {
    }
}
