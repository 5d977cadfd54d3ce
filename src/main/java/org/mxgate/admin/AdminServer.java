package org.mxgate.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.mxgate.config.AdminConfig;
import org.mxgate.config.TokenFile;
import org.mxgate.listener.Gateway;
import org.mxgate.shared.Peers;
import org.mxgate.mail.SpoolBudget;
import org.mxgate.metrics.TrafficHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener: HTTP/1.1 on its own event loop thread, apart from mail, so a slow page
 * never delays a session and the page still answers while sessions drain at shutdown. Bounded:
 * {@value #MAX_CONNECTIONS} connections at once (the next gets 503 and is closed), each closed
 * after {@value #IDLE_SECONDS} s without traffic, requests of at most {@value #MAX_BODY} bytes of
 * body (413 beyond). Never blocks its loop; a reload runs on a thread of its own.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    static final int MAX_CONNECTIONS = 32;
    static final int IDLE_SECONDS = 30;
    /** A form with the token, or an empty POST: far below this. */
    static final int MAX_BODY = 8 * 1024;

    private static final byte[] TOO_MANY = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 32\r\nConnection: close\r\n\r\ntoo many admin connections open\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final Channel channel;
    private final ChannelGroup connections;
    private final EventLoopGroup group;
    private final ExecutorService reloads;

    private AdminServer(Channel channel, ChannelGroup connections, EventLoopGroup group, ExecutorService reloads) {
        this.channel = channel;
        this.connections = connections;
        this.group = group;
        this.reloads = reloads;
    }

    /**
     * Binds {@code admin.listen} and serves until {@link #close()}.
     *
     * @param traffic the last hour's counts for the page
     * @param metrics the Prometheus text for {@code /metrics}
     * @param spool the budget {@code /healthz} checks
     */
    public static AdminServer start(AdminConfig config, Gateway gateway, TrafficHistory traffic, Supplier<String> metrics,
                                    SpoolBudget spool) throws IOException, InterruptedException {
        return start(config, gateway, traffic, metrics, spool, () -> null, () -> null);
    }

    /**
     * @param notice the status page's banner (shared state on Redis away), or null when there is none
     * @param peers the instances sharing state on Redis and what each sees, or null without shared state
     */
    public static AdminServer start(AdminConfig config, Gateway gateway, TrafficHistory traffic, Supplier<String> metrics,
                                    SpoolBudget spool, Supplier<String> notice, Supplier<Peers> peers)
            throws IOException, InterruptedException {
        BearerToken token = new BearerToken(config.tokenFile() == null ? null : TokenFile.read(config.tokenFile()));
        ExecutorService reloads = Executors.newSingleThreadExecutor(new DefaultThreadFactory("mxgate-admin-reload", true));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mxgate-admin", true),
                NioIoHandler.newFactory());
        AdminApi api = new AdminApi(new StatusSource(gateway, traffic, spool, token.isConfigured(), notice, peers), token, metrics, reloads);
        ChannelGroup connections = new DefaultChannelGroup("mxgate-admin", GlobalEventExecutor.INSTANCE);
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(initializer(api, config.isLoopback(), connections))
                    .bind(config.listen().resolved())
                    .sync()
                    .channel();
            LOG.info("admin listener on {}: status page, /healthz, /metrics, /api ({})", channel.localAddress(),
                    token.isConfigured() ? "changes need the token in " + config.tokenFile()
                            : "read-only: no admin.token_file");
            return new AdminServer(channel, connections, group, reloads);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            reloads.shutdownNow();
            throw e;
        }
    }

    /** Each connection: counted against the limit, timed for idleness, then HTTP into {@link AdminHandler}. */
    private static ChannelInitializer<SocketChannel> initializer(AdminApi api, boolean loopbackOnly,
                                                                 ChannelGroup connections) {
        AtomicInteger open = new AtomicInteger();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.closeFuture().addListener(f -> open.decrementAndGet());
                connections.add(ch);
                if (open.incrementAndGet() > MAX_CONNECTIONS) {
                    ch.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY)).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                        new HttpServerCodec(4096, 8192, 8192),
                        new HttpObjectAggregator(MAX_BODY),
                        new AdminHandler(api, loopbackOnly));
            }
        };
    }

    /** The bound port: the configured one, or the one the system chose for port 0. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        // Kept-alive connections too: a browser or balancer must see the listener gone, not a silent socket.
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        reloads.shutdownNow();
    }
}
