package org.mxgate.listener;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mxgate.backend.BackendPool;
import org.mxgate.config.ListenerConfig;
import org.mxgate.config.SpoolConfig;
import org.mxgate.policy.Policy;
import org.mxgate.smtp.ReplyEncoder;
import org.mxgate.smtp.SmtpLineDecoder;

/** Builds the pipeline of one client connection: idle timer, line decoder, reply encoder, session handler. */
final class ListenerInitializer extends ChannelInitializer<SocketChannel> {

    private final ListenerConfig listener;
    private final String hostname;
    private final Supplier<Policy> policy;
    private final Function<String, BackendPool> pools;
    private final SpoolConfig spool;
    private final Clock clock;

    ListenerInitializer(ListenerConfig listener, String hostname, Supplier<Policy> policy,
                        Function<String, BackendPool> pools, SpoolConfig spool, Clock clock) {
        this.listener = listener;
        this.hostname = hostname;
        this.policy = policy;
        this.pools = pools;
        this.spool = spool;
        this.clock = clock;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        // Each session keeps the policy it started with; a reload applies to new sessions.
        Policy snapshot = policy.get();
        SmtpLineDecoder decoder = new SmtpLineDecoder();
        ChannelPipeline p = channel.pipeline();
        p.addLast("idle", new IdleStateHandler(snapshot.limits().idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("lines", decoder);
        p.addLast("replies", ReplyEncoder.INSTANCE);
        p.addLast("session", new SessionHandler(listener, hostname, snapshot, pools, spool, clock, decoder));
    }
}
