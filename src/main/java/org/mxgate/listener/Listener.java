package org.mxgate.listener;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mxgate.auth.Authenticator;
import org.mxgate.backend.BackendPool;
import org.mxgate.backend.Transport;
import org.mxgate.config.ListenerConfig;
import org.mxgate.dnsbl.DnsblChecker;
import org.mxgate.limits.ClientLimits;
import org.mxgate.limits.ListenerLimits;
import org.mxgate.metrics.GatewayMetrics;
import org.mxgate.metrics.ListenerMeters;
import org.mxgate.policy.Policy;
import org.mxgate.relay.Relay;
import org.mxgate.relay.RemovedPoolRelay;
import org.mxgate.relay.Spool;
import org.mxgate.relay.TransactionRelay;
import org.mxgate.tls.ServerTls;

/** One bound listening socket with its own policy, and the client sessions it accepted. */
public final class Listener {

    private final ListenerConfig config;
    private final Channel channel;
    private final ChannelGroup sessions;
    private final ListenerLimits limits;
    private final ListenerInitializer initializer;

    private Listener(ListenerConfig config, Channel channel, ChannelGroup sessions, ListenerLimits limits,
                     ListenerInitializer initializer) {
        this.config = config;
        this.channel = channel;
        this.sessions = sessions;
        this.limits = limits;
        this.initializer = initializer;
    }

    /**
     * Binds and returns once the socket listens; a bind failure is thrown at start-up, never later,
     * as a {@link StartException} naming the listener and its address.
     *
     * @param dnsbl the DNS list checker, or null when no lists are configured
     * @param tls the certificate in force, or null when no listener uses TLS
     * @param limits the gateway's limits on clients, of which this listener counts its own
     * @param metrics where the listener's sessions and their relays are counted
     * @param ids the gateway instance's id and the factories of its queue and session ids
     */
    public static Listener bind(ListenerConfig config, String hostname, Supplier<Policy> policy,
                                Function<String, BackendPool> pools, Spool spool, DnsblChecker dnsbl,
                                ServerTls tls, Authenticator auth, ClientLimits limits,
                                EventLoopGroup acceptors, EventLoopGroup workers,
                                GatewayMetrics metrics, InstanceIds ids) throws InterruptedException {
        ChannelGroup sessions = new DefaultChannelGroup(config.name(), GlobalEventExecutor.INSTANCE);
        ListenerLimits listenerLimits = limits.forListener(config.name());
        ListenerMeters meters = metrics.listener(config.name());
        meters.watchOpenSessions(sessions::size);
        ListenerInitializer initializer = new ListenerInitializer(
                new ListenerServices(config, hostname, relays(config, pools, spool, metrics), Clock.systemDefaultZone(),
                        new NatSuspicion(config.name(), Clock.systemUTC()), dnsbl, tls, auth,
                        listenerLimits, spool.budget(), new ListenerEvents(meters), ids), policy, sessions);
        ChannelFuture bound = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(Transport.chosen().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer)
                .bind(config.listen().resolved())
                .await();
        if (!bound.isSuccess()) {
            // Said as the admin needs it, with no stack trace: which listener, which address, why.
            throw StartException.cannotBind("listener " + config.name(), config.listen(), bound.cause());
        }
        return new Listener(config, bound.channel(), sessions, listenerLimits, initializer);
    }

    /**
     * Each transaction's relay: on the pool of its route now in force, from this listener's source
     * address; a route to a pool a reload removed gets 451 4.4.1 (RemovedPoolRelay).
     */
    private static TransactionRelay.Opener relays(ListenerConfig config, Function<String, BackendPool> pools, Spool spool,
                                                  GatewayMetrics metrics) {
        return (transaction, log, client, loop) -> {
            BackendPool pool = pools.apply(transaction.route());
            return pool == null ? new RemovedPoolRelay(transaction) : new Relay(pool, transaction, loop, spool,
                    log, client, config.sourceAddress(), config.name(), System::nanoTime, metrics);
        };
    }

    public ListenerConfig config() {
        return config;
    }

    /** The bound port: the configured one, or the one the system chose for port 0. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** This listener's limits on its clients, and what they count now. */
    public ListenerLimits limits() {
        return limits;
    }

    /** How many client sessions are open now. */
    public int openSessions() {
        return sessions.size();
    }

    /** Closes the listening socket; sessions already accepted go on. */
    public void stopAccepting() {
        channel.close().syncUninterruptibly();
    }

    /**
     * Asks every session to end at its next point between transactions, with 421 4.3.2; returns
     * a future that completes when all of them are closed.
     */
    public ChannelGroupFuture drainSessions() {
        // First, so a connection accepted just before the socket closed, and not yet in the group, still hears it.
        initializer.drain();
        ChannelGroupFuture closed = sessions.newCloseFuture();
        for (Channel session : sessions) {
            session.pipeline().fireUserEventTriggered(SessionDrain.INSTANCE);
        }
        return closed;
    }

    /** Closes whatever sessions are still open: the end of the shutdown grace period. */
    public void closeSessions() {
        sessions.close().syncUninterruptibly();
    }

    public void close() {
        stopAccepting();
        closeSessions();
    }
}
