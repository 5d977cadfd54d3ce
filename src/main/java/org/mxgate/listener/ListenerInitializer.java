package org.mxgate.listener;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.util.function.Supplier;
import org.mxgate.config.ListenerConfig;
import org.mxgate.config.ProxyProtocolConfig;
import org.mxgate.metrics.ListenerMeters;
import org.mxgate.policy.Policy;
import org.mxgate.smtp.ReplyEncoder;
import org.mxgate.smtp.SmtpLineDecoder;

/**
 * Builds the pipeline of one client connection: for a trusted balancer the PROXY decoder and
 * header handler, for implicit TLS the TLS handler (after the PROXY header, which a balancer
 * sends in the clear), then the connection limiter (on the real client), the pregreet test
 * where the listener has greet_delay, line decoder, reply encoder, the client's timeouts,
 * session handler.
 */
final class ListenerInitializer extends ChannelInitializer<SocketChannel> {

    private final ListenerServices services;
    private final Supplier<Policy> policy;
    private final ChannelGroup sessions;
    private final EarlyTalkers earlyTalkers;
    private volatile boolean draining;

    ListenerInitializer(ListenerServices services, Supplier<Policy> policy, ChannelGroup sessions) {
        this.services = services;
        this.policy = policy;
        this.sessions = sessions;
        this.earlyTalkers = new EarlyTalkers(services.config().pregreet().remember());
    }

    /**
     * The gateway is stopping: a connection accepted before the listening socket closed but set
     * up after the sessions were told ({@link Listener#drainSessions}) is told too.
     */
    void drain() {
        draining = true;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        // The group lets a stopping gateway reach every open session; closed channels leave it by themselves.
        sessions.add(channel);
        countSession(channel);
        // The client's timeouts are fixed for the connection; the other limits are read per transaction.
        Policy snapshot = policy.get();
        SmtpLineDecoder decoder = new SmtpLineDecoder();
        ChannelPipeline p = channel.pipeline();
        // PROXY headers only from trusted peers: for anyone else "PROXY ..." is just an unknown command.
        ProxyProtocolConfig proxy = services.config().proxyProtocol();
        if (proxy.isEnabled() && proxy.trusted().contains(channel.remoteAddress().getAddress())) {
            p.addLast("proxy-v1", new StrictProxyV1Handler());
            p.addLast("proxy", new HAProxyMessageDecoder());
            p.addLast("proxy-header", new ProxyHeaderHandler(proxy.timeout()));
        }
        if (services.config().tls() == ListenerConfig.Tls.IMPLICIT) {
            p.addLast("tls", services.tls().newHandler(channel.alloc(), false));
        }
        // After PROXY, keyed on the real address; after implicit TLS, so a refused client reads its 421.
        p.addLast("limits", new ConnectionLimiter(services.limits(), policy, services.events()));
        // After the PROXY handlers: the delay starts once the header is in, and judges the real client.
        if (services.config().pregreet().isEnabled()) {
            p.addLast("pregreet", new PregreetHandler(services.config().pregreet(), services.config().name(),
                    services.hostname(), earlyTalkers, p.get("proxy-header") != null, services.events(),
                    services.ids().sessionIds(), services.limits()));
        }
        p.addLast("lines", decoder);
        p.addLast("replies", ReplyEncoder.INSTANCE);
        // After the encoder: it sees the decoded input and the replies the session writes.
        p.addLast("timeouts", new ClientTimeouts(snapshot.limits()));
        p.addLast("session", new SessionHandler(services, policy, decoder));
        // After the add to the group, which drain() comes before: each session hears of the drain one way
        // or the other. As a task, so it comes after channelActive, as it does for a session already open.
        if (draining) {
            channel.eventLoop().execute(() -> p.fireUserEventTriggered(SessionDrain.INSTANCE));
        }
    }

    /** Every accepted connection is a session in the metrics, refused or not; its duration runs to the close. */
    private void countSession(SocketChannel channel) {
        ListenerMeters meters = services.events().meters();
        meters.sessionOpened();
        long opened = System.nanoTime();
        channel.closeFuture().addListener(closed -> meters.sessionClosed(System.nanoTime() - opened));
    }
}
