package org.mxgate.backend;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import org.mxgate.config.HealthCheckConfig;
import org.mxgate.config.PoolConfig;
import org.mxgate.tls.BackendTls;
import org.mxgate.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers of one {@code pools:} entry: which one takes the next transaction, and backend
 * sessions for it, reused after RSET where one is idle on the caller's event loop.
 * <p>
 * A reload reconfigures the pool in place ({@link #reconfigure}): what the event loops read on
 * every transaction (servers, balancer, parked sessions, settings) is one immutable {@link State},
 * swapped whole, so the hot path takes no lock and a transaction in flight keeps working on the
 * same pool object. Removed servers drain; kept ones keep their health.
 */
public final class BackendPool {

    private static final Logger LOG = LoggerFactory.getLogger(BackendPool.class);

    /**
     * Everything a reload may replace, read once per use.
     *
     * @param startTls the pool's STARTTLS to its servers, or null when its {@code tls} is none
     * @param prober the active health checks, or null without {@code health_check}
     */
    private record State(PoolConfig config, List<Backend> backends, Balancer balancer, IdleConnections idle,
                         BackendStartTls startTls, HealthProber prober) {
    }

    private final String name;
    private final BackendClient client;
    private final ClientIpForwarding forwarding;
    // Where the pool's mail leaves from (null: the system's choice); every prober of the pool reads it.
    private final Set<InetAddress> mailSources = new CopyOnWriteArraySet<>();
    private volatile State state;
    private volatile BackendNews news = BackendNews.NONE;
    // The I/O threads the probes run on, once started; reconfigure and the start are synchronized.
    private EventLoopGroup probeLoops;

    /** @param tls the pool's TLS client side, or null when its {@code tls} is none */
    public BackendPool(PoolConfig config, BackendClient client, BackendTls tls) {
        this.name = config.name();
        this.client = client;
        this.forwarding = new ClientIpForwarding(client.heloName());
        List<Backend> backends = config.servers().stream().map(s -> backend(config, s)).toList();
        this.state = new State(config, backends, new Balancer(backends, config.balance()), idle(config),
                startTls(config, tls), prober(config, backends));
    }

    private Backend backend(PoolConfig config, ServerConfig server) {
        HealthCheckConfig check = config.healthCheck();
        Backend backend = new Backend(name, server, check == null ? null : new HealthCounter(check.rise(), check.fall()),
                config.pressureCooldown(), config.maxPressureCooldown());
        backend.slowStart(config.slowStart());
        return backend;
    }

    private BackendStartTls startTls(PoolConfig config, BackendTls tls) {
        return tls == null ? null : new BackendStartTls(config.tls(), tls, client.heloName());
    }

    private static IdleConnections idle(PoolConfig config) {
        return new IdleConnections(config.idleConnections(), config.idleTimeout());
    }

    private HealthProber prober(PoolConfig config, List<Backend> backends) {
        return config.healthCheck() == null ? null
                : new HealthProber(config.healthCheck(), client, backends, config.sourceAddress(), mailSources,
                        config.forwardClientIp() == PoolConfig.ForwardClientIp.PROXY_V2 ? ProxyHeader.LOCAL : null);
    }

    public String name() {
        return name;
    }

    /** The settings in force: those of the last reload. */
    public PoolConfig config() {
        return state.config();
    }

    /** The servers in force; a server a reload removed is no longer among them, even while it drains. */
    public List<Backend> backends() {
        return state.backends();
    }

    public Backend choose(Set<Backend> excluded) {
        return state.balancer().choose(excluded);
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
        State now = state;
        PoolConfig config = now.config();
        InetAddress from = sourceFor(config, source);
        // Policies reload: a listener routed here later is learnt from its mail.
        mailSources.add(from);
        ForwardedClient proxyFor = config.forwardClientIp() == PoolConfig.ForwardClientIp.PROXY_V2 ? forClient : null;
        BackendSession parked = fresh ? null
                : now.idle().take(backend, loop, from, proxyFor == null ? null : proxyFor.proxyBinding());
        CompletableFuture<BackendSession> session = parked != null ? CompletableFuture.completedFuture(parked)
                : client.connect(backend, loop, from, proxyFor, config.connectTimeout(), config.commandTimeout());
        BackendStartTls startTls = now.startTls();
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
        mailSources.add(sourceFor(state.config(), listenerSource));
    }

    /**
     * After a reload: the mail of listeners with these {@code source_address}es (null for none)
     * comes to this pool, and only theirs; an address no longer used is no longer probed from.
     */
    void carriesMailOnlyOf(Collection<InetAddress> listenerSources) {
        PoolConfig config = state.config();
        Set<InetAddress> from = new HashSet<>();
        listenerSources.forEach(source -> from.add(sourceFor(config, source)));
        mailSources.retainAll(from);
        mailSources.addAll(from);
    }

    // A listener's source_address wins; the pool's applies where it has none (null: the system's choice).
    private static InetAddress sourceFor(PoolConfig config, InetAddress listenerSource) {
        return listenerSource != null ? listenerSource : config.sourceAddress();
    }

    /**
     * Parks the session for the next transaction on this loop; one left mid-transaction is marked
     * so its next user sends RSET first, pipelined with MAIL. A session in doubt is dropped.
     */
    public void release(BackendSession session, boolean transactionOpen) {
        State now = state;
        Backend backend = session.backend();
        if (!session.isReusable() || now.config().idleConnections() == 0 || backend.isRemoved()) {
            session.quit();
            return;
        }
        session.needsReset(transactionOpen);
        now.idle().offer(session);
        // A reload between the checks above and the offer closed what was parked then; this one too.
        if (backend.isRemoved()) {
            now.idle().closeAll(backend);
        } else if (state.idle() != now.idle()) {
            now.idle().closeAll();
        }
    }

    /**
     * Admission control: may a new transaction from this listener start? Past the pool's capacity
     * (the sum of its usable servers' max_transactions) less what other listeners have reserved,
     * no; a pool with an unlimited server always admits.
     */
    public boolean admits(String listener) {
        State now = state;
        int capacity = 0;
        int active = 0;
        for (Backend b : now.backends()) {
            active += b.transactions();
            if (b.isEnabled() && b.isUp()) {
                if (b.maxTransactions() == 0) {
                    return true;
                }
                capacity += b.maxTransactions();
            }
        }
        int reservedForOthers = now.config().reserve().entrySet().stream()
                .filter(e -> !e.getKey().equals(listener)).mapToInt(Map.Entry::getValue).sum();
        return active < capacity * (100 - reservedForOthers) / 100;
    }

    /** No new transactions for this backend; those in flight finish. */
    public void drain(String backend) {
        adminState(backend, ServerConfig.AdminState.DRAIN);
    }

    /** No new transactions, and its idle sessions are closed now. */
    public void halt(String backend) {
        adminState(backend, ServerConfig.AdminState.HALT);
    }

    /** Back in rotation after a drain or halt. */
    public void enable(String backend) {
        adminState(backend, ServerConfig.AdminState.UP);
    }

    /** An admin's change here (the API, the command line), which the other instances are told of. */
    private void adminState(String backend, ServerConfig.AdminState to) {
        applyAdminState(find(backend), to, "admin");
        news.adminState(name, backend, to);
    }

    private void applyAdminState(Backend b, ServerConfig.AdminState to, String by) {
        b.adminState(to, by);
        if (to == ServerConfig.AdminState.HALT) {
            state.idle().closeAll(b);
        }
    }

    /**
     * Another instance's admin set this state (shared_state): applied as if set here, and not
     * told on. A backend this pool does not have is ignored: instances may differ in their pools.
     */
    public void sharedAdminState(String backend, ServerConfig.AdminState to) {
        state.backends().stream().filter(b -> b.name().equals(backend)).findFirst()
                .ifPresent(b -> applyAdminState(b, to, "another instance"));
    }

    /**
     * Another instance met back pressure from this backend: no new transactions here either, for
     * {@code remaining}, but never longer than this pool's own {@code max_pressure_cooldown}.
     */
    public void sharedPressure(String backend, Duration remaining, String what) {
        State now = state;
        Duration max = now.config().maxPressureCooldown();
        now.backends().stream().filter(b -> b.name().equals(backend)).findFirst()
                .ifPresent(b -> b.pressureFor(remaining.compareTo(max) > 0 ? max : remaining, what));
    }

    /** Where drains, halts, enables and back pressure seen here are told (shared_state); none by default. */
    void tell(BackendNews news) {
        this.news = news;
    }

    private Backend find(String backend) {
        return state.backends().stream().filter(b -> b.name().equals(backend)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("pool " + name + " has no backend " + backend));
    }

    /** Starts the active health checks, if the pool has any, on these I/O threads. */
    public synchronized void startHealthChecks(EventLoopGroup loops) {
        probeLoops = loops;
        HealthProber prober = state.prober();
        if (prober != null) {
            prober.start(loops, Set.of());
        }
    }

    /**
     * Applies a reloaded entry of this pool and returns what changed, one line each (empty when
     * nothing did). Added servers join the balancer; with a health check they start down and are
     * probed at once, without one they are up at once; either way their weight then ramps over
     * {@code slow_start}. Removed servers drain: no new transactions, those in flight finish,
     * their parked sessions close now and their busy ones when released. Kept servers keep their
     * health and counters. A changed health check restarts the probes; changed pool settings
     * close the parked sessions, which were opened with the old ones. Never on an event loop.
     *
     * @param tls the TLS client side for {@code loaded}, built anew (a replaced trust file is read), or null for none
     */
    synchronized List<String> reconfigure(PoolConfig loaded, BackendTls tls) {
        State running = state;
        PoolChange change = PoolChange.between(running.config(), loaded);
        List<String> described = change.describe(running.config());
        if (described.isEmpty() && loaded.equals(running.config())) {
            return described;
        }
        Map<String, Backend> byName = new HashMap<>();
        running.backends().forEach(b -> byName.put(b.name(), b));
        Set<Backend> probeNow = new HashSet<>();
        List<Backend> backends = servers(loaded, change, byName, probeNow);
        boolean newSessions = change.settingsChanged();
        IdleConnections idle = newSessions ? idle(loaded) : running.idle();
        Balancer balancer = change.serversChanged() || loaded.balance() != running.config().balance()
                ? new Balancer(backends, loaded.balance()) : running.balancer();
        boolean newProber = change.healthCheckChanged() || change.serversChanged() || newSessions;
        HealthProber prober = newProber ? prober(loaded, backends) : running.prober();
        state = new State(loaded, backends, balancer, idle, startTls(loaded, tls), prober);
        // Only now, with the new servers in force: nothing chooses a removed one any more.
        for (ServerConfig gone : change.removed()) {
            Backend backend = byName.get(gone.name());
            backend.remove();
            running.idle().closeAll(backend);
        }
        if (newSessions) {
            running.idle().closeAll();
        }
        if (newProber) {
            if (running.prober() != null) {
                running.prober().stop();
            }
            if (prober != null && probeLoops != null) {
                prober.start(probeLoops, probeNow);
            }
        }
        described.forEach(line -> LOG.info("{}", line));
        return described;
    }

    /**
     * The loaded servers in the file's order: kept ones reconfigured in place, added ones new,
     * those to probe at once put in {@code probeNow}.
     */
    private List<Backend> servers(PoolConfig loaded, PoolChange change, Map<String, Backend> running,
                                  Set<Backend> probeNow) {
        Set<ServerConfig> added = Set.copyOf(change.added());
        HealthCheckConfig check = loaded.healthCheck();
        List<Backend> backends = new ArrayList<>();
        for (ServerConfig server : loaded.servers()) {
            Backend backend;
            if (added.contains(server)) {
                backend = backend(loaded, server);
                backend.startedNow();
                if (check != null) {
                    backend.startDown(check.rise(), check.fall());
                    probeNow.add(backend);
                }
            } else {
                backend = running.get(server.name());
                backend.reconfigure(server, change.stateFromFile().contains(server.name()));
                if (change.healthCheckChanged()) {
                    backend.healthCheck(check);
                }
                backend.cooldowns(loaded.pressureCooldown(), loaded.maxPressureCooldown());
                backend.slowStart(loaded.slowStart());
            }
            backends.add(backend);
        }
        return List.copyOf(backends);
    }

    /**
     * A reload removed the whole pool: every server drains as a removed one does, and the
     * probes stop. Transactions in flight on it finish.
     */
    synchronized void retire() {
        State now = state;
        if (now.prober() != null) {
            now.prober().stop();
        }
        for (Backend backend : now.backends()) {
            backend.remove();
            now.idle().closeAll(backend);
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
        news.pressure(name, backend.name(), backend.pressure(what), what);
    }

    public void close() {
        State now = state;
        if (now.prober() != null) {
            now.prober().stop();
        }
        now.idle().closeAll();
    }
}
