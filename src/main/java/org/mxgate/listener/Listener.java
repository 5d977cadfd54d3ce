package org.mxgate.listener;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mxgate.backend.BackendPool;
import org.mxgate.config.ListenerConfig;
import org.mxgate.config.SpoolConfig;
import org.mxgate.policy.Policy;

/** One bound listening socket with its own policy. */
public final class Listener {

    private final ListenerConfig config;
    private final Channel channel;

    private Listener(ListenerConfig config, Channel channel) {
        this.config = config;
        this.channel = channel;
    }

    /** Binds and returns once the socket listens; a bind failure is thrown at start-up, never later. */
    public static Listener bind(ListenerConfig config, String hostname, Supplier<Policy> policy,
                                Function<String, BackendPool> pools, SpoolConfig spool,
                                EventLoopGroup acceptors, EventLoopGroup workers) throws InterruptedException {
        Channel channel = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ListenerInitializer(
                        new ListenerServices(config, hostname, pools, spool, Clock.systemDefaultZone()), policy))
                .bind(config.listen().resolved())
                .sync()
                .channel();
        return new Listener(config, channel);
    }

    public ListenerConfig config() {
        return config;
    }

    /** The bound port: the configured one, or the one the system chose for port 0. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public void close() {
        channel.close().syncUninterruptibly();
    }
}
