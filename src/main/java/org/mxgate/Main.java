package org.mxgate;

import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.mxgate.admin.AdminServer;
import org.mxgate.auth.Authenticator;
import org.mxgate.backend.PoolSet;
import org.mxgate.backend.Transport;
import org.mxgate.cli.MxgateCommand;
import org.mxgate.config.GatewayConfig;
import org.mxgate.config.ListenerConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.config.PolicyReloader;
import org.mxgate.dnsbl.DnsblChecker;
import org.mxgate.limits.ClientLimits;
import org.mxgate.limits.Counters;
import org.mxgate.limits.LocalCounters;
import org.mxgate.listener.Gateway;
import org.mxgate.listener.InstanceIds;
import org.mxgate.listener.Listener;
import org.mxgate.listener.StartException;
import org.mxgate.log.ApplicationLog;
import org.mxgate.log.NonBlockingAppender;
import org.mxgate.mail.SpoolBudget;
import org.mxgate.metrics.GatewayMetrics;
import org.mxgate.policy.Policy;
import org.mxgate.policy.RelaySelfTest;
import org.mxgate.relay.Spool;
import org.mxgate.shared.SharedAuthFailures;
import org.mxgate.shared.SharedBackends;
import org.mxgate.shared.SharedCounters;
import org.mxgate.shared.InstanceView;
import org.mxgate.shared.SharedStore;
import org.mxgate.tls.ServerTls;
import org.mxgate.tls.TlsLibrary;
import org.mxgate.tls.TlsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Builds the object graph with plain constructors; the command line lives in {@code cli}. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        // An Error escaping a command (a class that cannot be loaded any more, from a jar rewritten
        // under the running process) must still end the JVM: its I/O threads would keep it alive.
        int status = 1;
        try {
            status = new CommandLine(new MxgateCommand(Main::start)).execute(args);
        } catch (Throwable e) {
            System.err.println("mxgate: stopped by " + e);
            e.printStackTrace();
        } finally {
            // The log is written by a background thread: what is still queued goes out before the exit.
            try {
                NonBlockingAppender.stopLogging();
            } finally {
                System.exit(status);
            }
        }
    }

    /** Starts every listener and pool of the config; on a bind failure nothing is left running. */
    public static Gateway start(GatewayConfig config) throws InterruptedException {
        return start(config, Ticker.systemTicker());
    }

    /**
     * @param authClock what the AUTH failure window and the client rate windows are measured with: the
     *                  system's, or a test's (AuthBruteForceIT)
     */
    public static Gateway start(GatewayConfig config, Ticker authClock) throws InterruptedException {
        InstanceIds ids = instanceIds(config);
        Transport transport = Transport.chosen();
        EventLoopGroup acceptors = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        // One I/O thread per core: a client and its backend sessions share one, and more threads
        // than cores only add context switches (docs/performance.md).
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                transport.ioHandlerFactory());
        LOG.info("I/O: {}", transport.description());
        GatewayMetrics metrics = new GatewayMetrics();
        PoolSet pools;
        ServerTls tls;
        try {
            TlsLibrary tlsLibrary = TlsLibrary.choose(config.tls().library());
            pools = PoolSet.open(config, tlsLibrary);
            tls = config.usesServerTls() ? ServerTls.open(config.tls(), config.hostname(), tlsLibrary) : null;
            // The kinds say whether ECDSA clients get the cheaper signature (docs/operations.md, "TLS certificates").
            LOG.info("TLS library: {}{}", tlsLibrary.description(),
                    tls == null ? "" : "; listeners serve " + tls.kinds() + " certificates");
        } catch (TlsException e) {
            acceptors.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new StartException(e.getMessage(), e);
        }
        List<AutoCloseable> resources = new ArrayList<>();
        if (tls != null) {
            // A replaced certificate is used by the next connections, without a restart (docs/operations.md).
            tls.watch(Duration.ofMillis(500));
            resources.add(tls);
        }
        Spool spool = spool(config, resources);
        metrics.watchSpool(spool.budget());
        metrics.watchPools(() -> pools.current().values());
        SharedStore shared = sharedState(config, metrics, resources, pools);
        Authenticator auth = new Authenticator(config.authLimits(), authClock,
                shared == null ? null : new SharedAuthFailures(shared, config.authLimits()));
        resources.add(auth);
        announceRelaySelfTests(config);
        PolicyReloader policies = new PolicyReloader(config, RelaySelfTest::run, pools);
        DnsblChecker dnsbl = dnsbl(config, metrics);
        Counters counters = shared == null ? new LocalCounters(authClock) : new SharedCounters(shared, authClock);
        ClientLimits limits = new ClientLimits(counters, config.hostname(), config.maxConnections(), metrics);
        List<Listener> listeners = new ArrayList<>();
        try {
            for (ListenerConfig listener : config.listeners()) {
                Supplier<Policy> policy = () -> new Policy(policies.current(listener.policy()));
                listeners.add(Listener.bind(listener, config.hostname(), policy, pools::get,
                        spool, dnsbl, tls, auth, limits, acceptors, workers, metrics, ids));
            }
        } catch (Exception e) {
            new Gateway(config, listeners, pools, policies, List.of(acceptors, workers), resources, metrics, ids).close();
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (e instanceof StartException refused) {
                throw refused;
            }
            throw new IllegalStateException("cannot start listeners: " + e, e);
        }
        pools.startHealthChecks(config, workers);
        // Edited policy files and pools take effect within a second of the last write (docs/operations.md).
        policies.watch(Duration.ofMillis(500));
        Gateway gateway = new Gateway(config, listeners, pools, policies, List.of(acceptors, workers), resources, metrics,
                ids);
        if (shared != null) {
            // What the other instances' status pages show of this one.
            shared.describeWith(() -> new InstanceView(shared.instance(),
                    listeners.stream().mapToInt(Listener::openSessions).sum(), InstanceView.seen(pools.current().values())));
        }
        startAdmin(config, gateway, spool, metrics, shared);
        return gateway;
    }

    /**
     * One instance id for the whole process's logs and one factory of each id for all listeners,
     * so ids are unique within the instance; the id ends them all (docs/operations.md).
     */
    private static InstanceIds instanceIds(GatewayConfig config) {
        ApplicationLog.nameInstance(config.instanceId());
        LOG.info("instance id {}: at the end of every queue id and session id, in every log line (instance_id,"
                + " docs/configuration.md)", config.instanceId());
        return InstanceIds.of(config.instanceId());
    }

    /**
     * The Redis shared with other instances, when configured: connecting starts now and never
     * holds up the start (until it answers, limits count here alone). Closed with the resources.
     */
    private static SharedStore sharedState(GatewayConfig config, GatewayMetrics metrics, List<AutoCloseable> resources,
                                           PoolSet pools) {
        if (config.shared() == null) {
            return null;
        }
        SharedStore shared = SharedStore.open(config.shared(), SharedStore.newInstanceName(config.instanceId().value()));
        resources.add(shared);
        SharedBackends.share(shared, pools);
        metrics.watchSharedState(shared::isConnected, shared::fallbacks);
        return shared;
    }

    /** The admin listener, when configured; it closes last of all (Gateway.close), after the sessions drained. */
    private static void startAdmin(GatewayConfig config, Gateway gateway, Spool spool, GatewayMetrics metrics,
                                   SharedStore shared) throws InterruptedException {
        if (config.admin() == null) {
            return;
        }
        try {
            AdminServer admin = AdminServer.start(config.admin(), gateway, metrics.history(), metrics::scrape, spool.budget(),
                    shared == null ? () -> null : shared::notice, shared == null ? () -> null : shared::peers);
            gateway.attachAdmin(admin, admin.port());
        } catch (IOException | RuntimeException e) {
            gateway.close();
            if (e instanceof java.net.BindException) {
                throw StartException.cannotBind("admin listener", config.admin().listen(), e);
            }
            throw new IllegalStateException("cannot start the admin listener on " + config.admin().listen() + ": " + e, e);
        }
    }

    /** Spooled bodies are read back for a replay on their own threads, never on an I/O thread. */
    private static Spool spool(GatewayConfig config, List<AutoCloseable> resources) {
        ExecutorService reader = Executors.newFixedThreadPool(2, new DefaultThreadFactory("mxgate-spool", true));
        resources.add(reader::shutdownNow);
        return new Spool(config.spool().memoryLimit(), config.spool().directory(), reader,
                new SpoolBudget(config.spool().effectiveMemoryBudget(), config.spool().diskBudget()));
    }

    private static void announceRelaySelfTests(GatewayConfig config) {
        for (PolicyConfig policy : config.policies().values()) {
            if (policy.allowWideRelayNetworks()) {
                LOG.warn("policy {} ({}) sets allow_wide_relay_networks: it relays for {} and skips the relay self-test",
                        policy.name(), policy.file(), policy.relayNetworks().networks());
            } else {
                LOG.info("policy {}: relay self-test passed (outside clients {} cannot relay)", policy.name(),
                        RelaySelfTest.OUTSIDE_CLIENTS);
            }
        }
    }

    private static DnsblChecker dnsbl(GatewayConfig config, GatewayMetrics metrics) {
        try {
            return config.dnsbl() == null ? null : new DnsblChecker(config.dnsbl(), Ticker.systemTicker(), metrics);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("cannot set up the DNS list resolvers: " + e.getMessage(), e);
        }
    }
}
