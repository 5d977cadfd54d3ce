package org.mxgate.listener;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroupFuture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mxgate.backend.BackendPool;
import org.mxgate.backend.PoolSet;
import org.mxgate.config.ConfigError;
import org.mxgate.config.GatewayConfig;
import org.mxgate.config.PolicyReloader;
import org.mxgate.config.ReloadResult;
import org.mxgate.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running gateway: its listeners, backend pools and event loops, closed together. */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final List<Listener> listeners;
    private final PoolSet pools;
    private final PolicyReloader policies;
    private final List<EventLoopGroup> groups;
    private final List<AutoCloseable> resources;
    private final GatewayMetrics metrics;
    private final InstanceIds ids;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean draining;
    private volatile AutoCloseable admin;
    private volatile int adminPort = -1;

    /**
     * @param resources closed last: the certificate watch, the login checker
     * @param metrics what the gateway counts, for /metrics and the status page
     * @param ids the instance id and the factories its listeners take queue and session ids from
     */
    public Gateway(GatewayConfig config, List<Listener> listeners, PoolSet pools,
                   PolicyReloader policies, List<EventLoopGroup> groups, List<AutoCloseable> resources,
                   GatewayMetrics metrics, InstanceIds ids) {
        this.ids = ids;
        this.metrics = metrics;
        this.resources = List.copyOf(resources);
        this.config = config;
        this.listeners = List.copyOf(listeners);
        this.pools = pools;
        this.policies = policies;
        this.groups = List.copyOf(groups);
    }

    public GatewayConfig config() {
        return config;
    }

    public List<Listener> listeners() {
        return listeners;
    }

    public int port(String listenerName) {
        return listeners.stream().filter(l -> l.config().name().equals(listenerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener " + listenerName)).port();
    }

    /**
     * Reads conf/mxgate.yml and the policy files again now (SIGHUP, the admin endpoint): policies
     * and pools change together, or not at all. What changed, or the errors that refused it.
     */
    public ReloadResult reload() {
        return policies.reload();
    }

    /** {@link #reload()}; the errors, empty when the new policies and pools are in force. */
    public List<ConfigError> reloadPolicies() {
        return reload().errors();
    }

    /** The pool of this name now in force (a reload may add, change or remove it), or null. */
    public BackendPool pool(String name) {
        return pools.get(name);
    }

    /** Every pool now in force, by name, in the file's order: a snapshot that a reload replaces. */
    public Map<String, BackendPool> pools() {
        return pools.current();
    }

    /** This instance's id, and the factories every queue id and session id of it comes from. */
    public InstanceIds ids() {
        return ids;
    }

    /** The meters and the last hour of traffic: {@code scrape()} is the text /metrics serves. */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** True from the first moment of {@link #close()} on: {@code /healthz} then answers 503 at once. */
    public boolean isDraining() {
        return draining;
    }

    /** The pools the listeners' policies in force route to: those that must be able to take mail. */
    public java.util.Set<String> routedPools() {
        java.util.Set<String> routed = new java.util.TreeSet<>();
        for (Listener listener : listeners) {
            routed.addAll(policies.current(listener.config().policy()).routes().values());
        }
        return routed;
    }

    /**
     * The admin listener, closed after everything else, so that {@code /healthz} keeps
     * answering 503 while the sessions drain.
     */
    public void attachAdmin(AutoCloseable server, int port) {
        this.admin = server;
        this.adminPort = port;
    }

    /** The admin listener's bound port, or -1 when it is off. */
    public int adminPort() {
        return adminPort;
    }

    /**
     * Stops the way an MTA should: no new connections, 421 4.3.2 to every session between
     * transactions, and up to {@code shutdown_grace} for transactions in progress to end with
     * their backend's reply. Sessions still open after that are closed; their clients never got
     * a 250, so they send again and nothing is lost.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Balancers probing /healthz stop sending here before the listeners close.
        draining = true;
        policies.close();
        listeners.forEach(Listener::stopAccepting);
        List<ChannelGroupFuture> drained = listeners.stream().map(Listener::drainSessions).toList();
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        for (ChannelGroupFuture sessions : drained) {
            sessions.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        int cut = listeners.stream().mapToInt(Listener::openSessions).sum();
        if (cut > 0) {
            LOG.warn("shutdown grace of {} over; closing {} sessions still in a transaction", config.shutdownGrace(), cut);
        }
        listeners.forEach(Listener::close);
        pools.close();
        for (EventLoopGroup group : groups) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", resource, e.toString());
            }
        }
        AutoCloseable server = admin;
        if (server != null) {
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("closing the admin listener: {}", e.toString());
            }
        }
    }
}
