package org.mxgate.backend;

import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mxgate.config.ConfigError;
import org.mxgate.config.ConfigException;
import org.mxgate.config.GatewayConfig;
import org.mxgate.config.ListenerConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.config.PoolConfig;
import org.mxgate.config.PoolReload;
import org.mxgate.tls.BackendTls;
import org.mxgate.tls.TlsException;
import org.mxgate.tls.TlsLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend pools in force, by name. The map is immutable and swapped whole when a reload
 * adds or removes a pool (copy on write), so the event loops look a pool up on every transaction
 * without a lock. A pool a reload keeps is the same object, reconfigured in place
 * ({@link BackendPool#reconfigure}); a removed one drains ({@link BackendPool#retire}) while the
 * transactions that hold it finish. Reloads run one at a time, never on an event loop.
 */
public final class PoolSet implements PoolReload {

    private static final Logger LOG = LoggerFactory.getLogger(PoolSet.class);

    private final BackendClient client;
    /** The running listeners: a reload does not change them, and their source addresses are where mail leaves from. */
    private final List<ListenerConfig> listeners;
    /** Chosen at start; a reload builds its pools' TLS with the same library. */
    private final TlsLibrary tlsLibrary;
    private volatile Map<String, BackendPool> pools;
    // Guarded by this: the I/O threads of the probes, once started.
    private EventLoopGroup probeLoops;
    private BackendNews news = BackendNews.NONE;

    private PoolSet(BackendClient client, List<ListenerConfig> listeners, TlsLibrary tlsLibrary,
            Map<String, BackendPool> pools) {
        this.client = client;
        this.listeners = List.copyOf(listeners);
        this.tlsLibrary = tlsLibrary;
        this.pools = pools;
    }

    /** The pools of {@code config}, not yet probed ({@link #startHealthChecks}). */
    public static PoolSet open(GatewayConfig config, TlsLibrary tlsLibrary) throws TlsException {
        BackendClient client = new BackendClient(config.hostname());
        Map<String, BackendPool> pools = new LinkedHashMap<>();
        for (PoolConfig pool : config.pools().values()) {
            pools.put(pool.name(), new BackendPool(pool, client, pool.tls().isEnabled() ? BackendTls.create(pool.tls(), tlsLibrary) : null));
        }
        return new PoolSet(client, config.listeners(), tlsLibrary, Collections.unmodifiableMap(pools));
    }

    /** The pool of this name now in force, or null: a route read before a reload may name one it removed. */
    public BackendPool get(String name) {
        return pools.get(name);
    }

    /** Every pool now in force, in the file's order; an unchanging snapshot. */
    public Map<String, BackendPool> current() {
        return pools;
    }

    /**
     * Starts the probes of every pool, from each address its mail leaves from: the
     * {@code source_address} of each listener whose policy routes to it (HealthProber, SourceAddressIT).
     */
    public synchronized void startHealthChecks(GatewayConfig config, EventLoopGroup loops) {
        probeLoops = loops;
        pools.forEach((name, pool) -> {
            listenerSources(name, config.policies()).forEach(pool::carriesMailOf);
            pool.startHealthChecks(loops);
        });
    }

    private List<InetAddress> listenerSources(String pool, Map<String, PolicyConfig> policies) {
        List<InetAddress> sources = new ArrayList<>();
        for (ListenerConfig listener : listeners) {
            PolicyConfig policy = policies.get(listener.policy());
            if (policy != null && policy.routes().containsValue(pool)) {
                sources.add(listener.sourceAddress());
            }
        }
        return sources;
    }

    /**
     * Builds the TLS client side of each pool with {@code tls}, so a replaced {@code tls_trust}
     * file is read at each reload; one that fails refuses the reload. Nothing changes until
     * {@link Prepared#apply}.
     */
    @Override
    public synchronized Prepared prepare(GatewayConfig loaded) throws ConfigException {
        Map<String, BackendTls> tls = new LinkedHashMap<>();
        List<ConfigError> errors = new ArrayList<>();
        for (PoolConfig pool : loaded.pools().values()) {
            if (pool.tls().isEnabled()) {
                try {
                    tls.put(pool.name(), BackendTls.create(pool.tls(), tlsLibrary));
                } catch (TlsException e) {
                    errors.add(new ConfigError(loaded.file(), 1, "pool " + pool.name() + ": " + e.getMessage()));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return () -> apply(loaded, tls);
    }

    private synchronized List<String> apply(GatewayConfig loaded, Map<String, BackendTls> tls) {
        List<String> changes = new ArrayList<>();
        Map<String, BackendPool> next = new LinkedHashMap<>();
        List<BackendPool> started = new ArrayList<>();
        for (PoolConfig config : loaded.pools().values()) {
            BackendPool pool = pools.get(config.name());
            if (pool == null) {
                pool = new BackendPool(config, client, tls.get(config.name()));
                pool.tell(news);
                started.add(pool);
                changes.add("pool " + config.name() + " added");
                LOG.info("pool {} added by a reload, with {} servers", config.name(), config.servers().size());
            } else {
                changes.addAll(pool.reconfigure(config, tls.get(config.name())));
            }
            pool.carriesMailOnlyOf(listenerSources(config.name(), loaded.policies()));
            next.put(config.name(), pool);
        }
        Map<String, BackendPool> previous = pools;
        pools = Collections.unmodifiableMap(next);
        previous.forEach((name, pool) -> {
            if (!next.containsKey(name)) {
                pool.retire();
                changes.add("pool " + name + " removed: no new transactions, those in flight finish");
                LOG.info("pool {} removed by a reload; its transactions in flight finish", name);
            }
        });
        if (probeLoops != null) {
            started.forEach(pool -> pool.startHealthChecks(probeLoops));
        }
        return changes;
    }

    /**
     * Where every pool, those a reload adds included, tells of the drains, halts, enables and back
     * pressure seen here: the other instances, through shared_state.
     */
    public synchronized void tell(BackendNews news) {
        this.news = news;
        pools.values().forEach(pool -> pool.tell(news));
    }

    /** At shutdown: the probes stop and parked sessions close. */
    public void close() {
        pools.values().forEach(BackendPool::close);
    }
}
