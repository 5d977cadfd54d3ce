package org.mxgate.backend;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.mxgate.config.PoolConfig;
import org.mxgate.tls.BackendTls;
import org.mxgate.config.ServerConfig;

/**
 * The servers of one {@code pools:} entry: which one takes the next transaction, and backend
 * sessions for it, reused after RSET where one is idle on the caller's event loop.
 */
public final class BackendPool {

    private final PoolConfig config;
    private final List<Backend> backends;
    private final Balancer balancer;
    private final BackendClient client;
    private final IdleConnections idle;
    private final ClientIpForwarding forwarding;
    private final HealthProber prober;
    private final BackendStartTls startTls;

    /** @param tls the pool's TLS client side, or null when its {@code tls} is none */
    public BackendPool(PoolConfig config, BackendClient client, BackendTls tls) {
        this.config = config;
        this.startTls = tls == null ? null : new BackendStartTls(config.tls(), tls, client.heloName());
        this.forwarding = new ClientIpForwarding(client.heloName());
        this.backends = config.servers().stream().map(s -> new Backend(config.name(), s, config.healthCheck() == null ? null
                : new HealthCounter(config.healthCheck().rise(), config.healthCheck().fall()),
                config.pressureCooldown(), config.maxPressureCooldown())).toList();
        backends.forEach(b -> b.slowStart(config.slowStart()));
        this.prober = config.healthCheck() == null ? null
                : new HealthProber(config.healthCheck(), client, backends, config.sourceAddress());
        this.balancer = new Balancer(backends, config.balance());
        this.client = client;
        this.idle = new IdleConnections(config.idleConnections(), config.idleTimeout());
    }

    public PoolConfig config() {
        return config;
    }

    public List<Backend> backends() {
        return backends;
    }

    public Backend choose(Set<Backend> excluded) {
        return balancer.choose(excluded);
    }

    /**
     * A parked session when one is idle on this loop, otherwise a new connection; with
     * {@code forward_client_ip: xclient} it then speaks for {@code forClient}, with
     * {@code proxy_v2} it is a connection of that client address's own, opened with a PROXY v2
     * header (IdleConnections says why the address and not the port).
     *
     * @param source the listener's {@code source_address}, or null for the pool's (or none)
     * @param fresh a new connection even when one is parked
     */
    public CompletableFuture<BackendSession> acquire(Backend backend, EventLoop loop, ForwardedClient forClient,
                                                     InetAddress source, boolean fresh) {
        InetAddress from = sourceFor(source);
        if (prober != null) {
            // Policies reload: a listener routed here later is learnt from its mail.
            prober.probeFrom(from);
        }
        ForwardedClient proxyFor = config.forwardClientIp() == PoolConfig.ForwardClientIp.PROXY_V2 ? forClient : null;
        BackendSession parked = fresh ? null : idle.take(backend, loop, from, proxyFor == null ? null : proxyFor.proxyBinding());
        CompletableFuture<BackendSession> session = parked != null ? CompletableFuture.completedFuture(parked)
                : client.connect(backend, loop, from, proxyFor, config.connectTimeout(), config.commandTimeout());
        if (parked == null && startTls != null) {
            session = session.thenCompose(s -> startTls.negotiate(s, config.commandTimeout()));
        }
        if (config.forwardClientIp() != PoolConfig.ForwardClientIp.XCLIENT) {
            return session;
        }
        return session.thenCompose(s -> forwarding.xclient(s, forClient, config.commandTimeout()));
    }

    /**
     * The mail of a listener with this {@code source_address} (null for none) comes to this pool:
     * health probes leave from where that mail leaves from, so they meet the backend's receive
     * connector for it (HealthProber). Call before {@link #startHealthChecks}.
     */
    public void carriesMailOf(InetAddress listenerSource) {
        if (prober != null) {
            prober.probeFrom(sourceFor(listenerSource));
        }
    }

    // A listener's source_address wins; the pool's applies where it has none (null: the system's choice).
    private InetAddress sourceFor(InetAddress listenerSource) {
        return listenerSource != null ? listenerSource : config.sourceAddress();
    }

    /**
     * Parks the session for the next transaction on this loop; one left mid-transaction is marked
     * so its next user sends RSET first, pipelined with MAIL. A session in doubt is dropped.
     */
    public void release(BackendSession session, boolean transactionOpen) {
        if (!session.isReusable() || config.idleConnections() == 0) {
            session.quit();
            return;
        }
        session.needsReset(transactionOpen);
        idle.offer(session);
    }

    /**
     * Admission control: may a new transaction from this listener start? Past the pool's capacity
     * (the sum of its usable servers' max_transactions) less what other listeners have reserved,
     * no; a pool with an unlimited server always admits.
     */
    public boolean admits(String listener) {
        int capacity = 0;
        int active = 0;
        for (Backend b : backends) {
            active += b.transactions();
            if (b.isEnabled() && b.isUp()) {
                if (b.maxTransactions() == 0) {
                    return true;
                }
                capacity += b.maxTransactions();
            }
        }
        int reservedForOthers = config.reserve().entrySet().stream()
                .filter(e -> !e.getKey().equals(listener)).mapToInt(Map.Entry::getValue).sum();
        return active < capacity * (100 - reservedForOthers) / 100;
    }

    /** No new transactions for this backend; those in flight finish. */
    public void drain(String backend) {
        find(backend).adminState(ServerConfig.AdminState.DRAIN);
    }

    /** No new transactions, and its idle sessions are closed now. */
    public void halt(String backend) {
        Backend b = find(backend);
        b.adminState(ServerConfig.AdminState.HALT);
        idle.closeAll(b);
    }

    /** Back in rotation after a drain or halt. */
    public void enable(String backend) {
        find(backend).adminState(ServerConfig.AdminState.UP);
    }

    private Backend find(String name) {
        return backends.stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("pool " + config.name() + " has no backend " + name));
    }

    /** Starts the active health checks, if the pool has any, on these I/O threads. */
    public void startHealthChecks(EventLoopGroup loops) {
        if (prober != null) {
            prober.start(loops);
        }
    }

    /**
     * What a real transaction showed about a backend: connection failures, 421 and 4xx count
     * towards {@code fall} as probe failures do (only where the pool has a health check).
     */
    public void report(Backend backend, boolean success, String what) {
        backend.report(success, what);
    }

    /** A reply that says the backend is overloaded: RFC 3463 4.3.x, or 421. */
    public void reportPressure(Backend backend, String what) {
        backend.pressure(what);
    }

    public void close() {
        if (prober != null) {
            prober.stop();
        }
        idle.closeAll();
    }
}
