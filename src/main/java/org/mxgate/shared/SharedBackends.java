package org.mxgate.shared;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mxgate.backend.Backend;
import org.mxgate.backend.BackendNews;
import org.mxgate.backend.BackendPool;
import org.mxgate.backend.PoolSet;
import org.mxgate.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backend flags shared by every instance: a drain, halt or enable made through any instance's
 * admin API or command line, and the back-pressure cooldown a backend's 4.3.x or 421 reply
 * started on any instance. Each is published on Redis's {@code backends} channel, so the others
 * apply it within a round trip, and kept in a key (the cooldown's expiring with it), from which
 * an instance that starts later, or was cut off from Redis, learns the state on each
 * (re)connection. Applied here without being told on, so no change echoes. A change made while
 * Redis is away stays on this instance. Never blocks.
 */
public final class SharedBackends implements BackendNews {

    private static final Logger LOG = LoggerFactory.getLogger(SharedBackends.class);

    static final String CHANNEL = "backends";

    private final SharedStore store;
    private final PoolSet pools;
    /** Backends whose admin state came from Redis: an enable missed while away is found by its key's absence. */
    private final Set<String> fromRedis = ConcurrentHashMap.newKeySet();

    private SharedBackends(SharedStore store, PoolSet pools) {
        this.store = store;
        this.pools = pools;
    }

    /** Starts listening to the other instances and telling them what happens to the backends here. */
    public static SharedBackends share(SharedStore store, PoolSet pools) {
        SharedBackends shared = new SharedBackends(store, pools);
        store.subscribe(CHANNEL, shared::heard);
        store.onReconnect(shared::catchUp);
        pools.tell(shared);
        return shared;
    }

    @Override
    public void adminState(String pool, String backend, ServerConfig.AdminState state) {
        String word = state.name().toLowerCase(Locale.ROOT);
        fromRedis.remove(id(pool, backend));
        store.eval(store.scripts().adminState, new String[] {adminKey(pool, backend)}, store.key(CHANNEL),
                String.join("\t", "admin", store.instance(), pool, backend, word), word)
                .whenComplete((done, error) -> {
                    if (error != null) {
                        LOG.warn("backend {} of pool {}: {} applies to this instance only: shared state unavailable ({})",
                                backend, pool, word, SharedStore.unwrap(error).getMessage());
                    }
                });
    }

    @Override
    public void pressure(String pool, String backend, Duration cooldown, String what) {
        String ms = String.valueOf(Math.max(1, cooldown.toMillis()));
        store.eval(store.scripts().pressure, new String[] {pressureKey(pool, backend)}, store.key(CHANNEL),
                String.join("\t", "pressure", store.instance(), pool, backend, ms, oneLine(what)), ms, oneLine(what));
    }

    /** A message from the channel: another instance's change (our own come back too, and are skipped). */
    private void heard(String message) {
        String[] parts = message.split("\t", 6);
        if (parts.length < 5 || parts[1].equals(store.instance())) {
            return;
        }
        BackendPool pool = pools.get(parts[2]);
        if (pool == null) {
            return;
        }
        try {
            if (parts[0].equals("admin")) {
                ServerConfig.AdminState state = ServerConfig.AdminState.valueOf(parts[4].toUpperCase(Locale.ROOT));
                remember(parts[2], parts[3], state);
                pool.sharedAdminState(parts[3], state);
            } else if (parts[0].equals("pressure") && parts.length == 6) {
                pool.sharedPressure(parts[3], Duration.ofMillis(Long.parseLong(parts[4])), parts[5]);
            }
        } catch (IllegalArgumentException e) {
            LOG.debug("shared state: ignored a message on {}: {}", CHANNEL, e.getMessage());
        }
    }

    /** After each (re)connection: the flags set while this instance was away, or before it started. */
    private void catchUp() {
        List<String[]> backends = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (BackendPool pool : pools.current().values()) {
            for (Backend backend : pool.backends()) {
                backends.add(new String[] {pool.name(), backend.name()});
                keys.add(adminKey(pool.name(), backend.name()));
                keys.add(pressureKey(pool.name(), backend.name()));
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        store.eval(store.scripts().backendStates, keys.toArray(String[]::new)).thenAccept(answer -> {
            List<?> values = (List<?>) answer;
            for (int i = 0; i < backends.size(); i++) {
                apply(backends.get(i)[0], backends.get(i)[1], String.valueOf(values.get(3 * i)),
                        ((Number) values.get(3 * i + 1)).longValue(), String.valueOf(values.get(3 * i + 2)));
            }
        });
    }

    private void apply(String poolName, String backend, String admin, long pressureMillis, String what) {
        BackendPool pool = pools.get(poolName);
        if (pool == null) {
            return;
        }
        if (!admin.isEmpty()) {
            ServerConfig.AdminState state = ServerConfig.AdminState.valueOf(admin.toUpperCase(Locale.ROOT));
            remember(poolName, backend, state);
            pool.sharedAdminState(backend, state);
        } else if (fromRedis.remove(id(poolName, backend))) {
            // Drained or halted by another instance, and enabled there while this one was away.
            pool.sharedAdminState(backend, ServerConfig.AdminState.UP);
        }
        if (pressureMillis > 0) {
            pool.sharedPressure(backend, Duration.ofMillis(pressureMillis), what);
        }
    }

    private void remember(String pool, String backend, ServerConfig.AdminState state) {
        if (state == ServerConfig.AdminState.UP) {
            fromRedis.remove(id(pool, backend));
        } else {
            fromRedis.add(id(pool, backend));
        }
    }

    private String adminKey(String pool, String backend) {
        return store.key("backend:admin:" + id(pool, backend));
    }

    private String pressureKey(String pool, String backend) {
        return store.key("backend:pressure:" + id(pool, backend));
    }

    private static String id(String pool, String backend) {
        return pool + "/" + backend;
    }

    /** A backend's reply as one field of a message: no tab or line break of its own. */
    private static String oneLine(String what) {
        return what == null ? "" : what.replaceAll("[\\t\\r\\n]+", " ");
    }
}
