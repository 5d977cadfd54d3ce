package org.mxgate.admin;

import java.util.Locale;
import java.util.Map;
import org.mxgate.admin.StatusSnapshot.BackendRow;
import org.mxgate.admin.StatusSnapshot.ListenerRow;
import org.mxgate.admin.StatusSnapshot.PoolRow;
import org.mxgate.shared.InstanceView;
import org.mxgate.shared.Peers;

/**
 * The API's JSON: {@code /api/backends} (the pools and their backends) and {@code /api/status}
 * (health, listeners and pools), both with the instances sharing state and what each sees. Keys are snake_case as in the config; times are ISO 8601 UTC;
 * states are the page's words. Pure.
 */
final class StatusJson {

    private StatusJson() {
    }

    static String backends(StatusSnapshot status) {
        // Which instance answers: each sees the backends through its own probes and sessions.
        JsonWriter json = new JsonWriter().beginObject().field("instance", status.instance());
        pools(json, status);
        instances(json, status.peers());
        return json.endObject().toString();
    }

    static String status(StatusSnapshot status) {
        JsonWriter json = new JsonWriter().beginObject()
                .field("hostname", status.hostname())
                .field("instance", status.instance())
                .field("now", status.now().toString())
                .field("healthy", status.health().isOk())
                .field("health", status.health().reason())
                .field("can_change", status.canChange());
        if (status.notice() != null) {
            json.field("notice", status.notice());
        }
        json.name("listeners").beginArray();
        for (ListenerRow listener : status.listeners()) {
            json.beginObject().field("name", listener.name()).field("address", listener.address())
                    .field("sessions", listener.sessions()).field("accepted_last_hour", listener.acceptedLastHour())
                    .name("refused_last_hour").beginObject();
            for (Map.Entry<String, Long> reason : listener.refusedLastHour().entrySet()) {
                json.field(reason.getKey(), reason.getValue());
            }
            json.endObject().endObject();
        }
        json.endArray();
        pools(json, status);
        instances(json, status.peers());
        return json.endObject().toString();
    }

    /** With shared state: the instances alive at the last heartbeat, and what each sees. */
    private static void instances(JsonWriter json, Peers peers) {
        if (peers == null) {
            return;
        }
        json.field("instances_as_of", peers.at() == null ? null : peers.at().toString()).name("instances").beginArray();
        for (InstanceView view : peers.alive()) {
            json.beginObject().field("name", view.name()).field("instance_id", view.instanceId())
                    .field("self", view.name().equals(peers.self())).field("sessions", view.sessions())
                    .name("backends").beginArray();
            for (InstanceView.BackendSeen seen : view.backends()) {
                json.beginObject().field("pool", seen.pool()).field("name", seen.backend()).field("state", seen.state())
                        .endObject();
            }
            json.endArray().endObject();
        }
        json.endArray();
    }

    /** One backend after a change: what the API answers to drain, halt and enable. */
    static String backend(String pool, BackendRow backend) {
        JsonWriter json = new JsonWriter().beginObject().field("pool", pool);
        fields(json, backend);
        return json.endObject().toString();
    }

    private static void pools(JsonWriter json, StatusSnapshot status) {
        json.name("pools").beginArray();
        for (PoolRow pool : status.pools()) {
            json.beginObject().field("name", pool.name()).field("balance", pool.balance().toLowerCase(Locale.ROOT))
                    .field("routed", pool.routed()).name("backends").beginArray();
            for (BackendRow backend : pool.backends()) {
                json.beginObject();
                fields(json, backend);
                json.endObject();
            }
            json.endArray().endObject();
        }
        json.endArray();
    }

    private static void fields(JsonWriter json, BackendRow backend) {
        json.field("name", backend.name()).field("address", backend.address()).field("weight", backend.weight())
                .field("state", backend.state().name().toLowerCase(Locale.ROOT)).field("since", backend.since().toString())
                .field("in_flight", backend.inFlight()).field("last_hour", backend.lastHour());
        json.name("per_minute").beginArray();
        for (long count : backend.perMinute()) {
            json.value(count);
        }
        json.endArray().name("last_probe");
        if (backend.lastProbe() == null) {
            json.value((String) null);
        } else {
            json.beginObject().field("passed", backend.lastProbe().passed()).field("reply", backend.lastProbe().reply())
                    .field("latency_ms", backend.lastProbe().latency().toMillis())
                    .field("at", backend.lastProbe().at().toString()).endObject();
        }
    }
}
