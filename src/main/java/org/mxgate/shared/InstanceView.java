package org.mxgate.shared;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.mxgate.backend.Backend;
import org.mxgate.backend.BackendPool;

/**
 * What one instance tells the others with each heartbeat: the client sessions it holds and the
 * state it sees each backend in (its own probes and sessions decide that, so two instances can
 * differ). Redis keeps the latest of each live instance; the status page and /api/backends show
 * them side by side.
 *
 * @param name the instance's name in Redis: its instance_id, a dot, then what makes the process
 *             unique ({@code a1.2kq9-3f9c1e})
 * @param sessions client sessions open on it, or -1 when its answer could not be read
 */
public record InstanceView(String name, int sessions, List<BackendSeen> backends) {

    /** One backend as an instance sees it; {@code state} is the status page's word (up, pressure, …). */
    public record BackendSeen(String pool, String backend, String state) {
    }

    public InstanceView {
        backends = List.copyOf(backends);
    }

    /** The instance_id this instance was configured with: the part of the name before the dot. */
    public String instanceId() {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** Every backend of these pools, as this instance sees it now. */
    public static List<BackendSeen> seen(Collection<BackendPool> pools) {
        List<BackendSeen> seen = new ArrayList<>();
        for (BackendPool pool : pools) {
            for (Backend backend : pool.backends()) {
                seen.add(new BackendSeen(pool.name(), backend.name(), backend.state().name().toLowerCase(Locale.ROOT)));
            }
        }
        return seen;
    }

    /** As the heartbeat script takes it: the sessions, then pool, backend and state of each backend. */
    List<String> fields() {
        List<String> fields = new ArrayList<>(1 + 3 * backends.size());
        fields.add(Integer.toString(sessions));
        for (BackendSeen b : backends) {
            fields.add(b.pool());
            fields.add(b.backend());
            fields.add(b.state());
        }
        return fields;
    }

    /**
     * Read back from what the heartbeat script returned for one instance. Whatever does not read
     * as written (an older or foreign writer) is left out rather than believed: sessions -1, and
     * no trailing partial backend.
     */
    static InstanceView read(String name, List<?> fields) {
        int sessions = -1;
        if (!fields.isEmpty()) {
            try {
                sessions = Integer.parseInt(String.valueOf(fields.get(0)));
            } catch (NumberFormatException e) {
                sessions = -1;
            }
        }
        List<BackendSeen> backends = new ArrayList<>();
        for (int i = 1; i + 2 < fields.size(); i += 3) {
            backends.add(new BackendSeen(String.valueOf(fields.get(i)), String.valueOf(fields.get(i + 1)),
                    String.valueOf(fields.get(i + 2))));
        }
        return new InstanceView(name, sessions, backends);
    }
}
