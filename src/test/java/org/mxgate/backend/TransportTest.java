package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transport: epoll on Linux x86-64, whose native library the jar carries; NIO where epoll
 * cannot load; and each transport's loops take its own server and client channels over a real
 * loopback connection.
 */
class TransportTest {

    @Test
    void linuxOnX8664GetsEpollAndElsewhereNio() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        boolean linuxX8664 = os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
        assertEquals(linuxX8664 ? Transport.EPOLL : Transport.NIO, Transport.chosen(), os + " " + arch);
        assertTrue(Transport.chosen().description().startsWith(linuxX8664 ? "epoll" : "the JDK's NIO"),
                Transport.chosen().description());
    }

    @Test
    void withoutEpollTheJdksNioChannelsAreUsed() {
        Transport fallback = Transport.choose(false);
        assertEquals(Transport.NIO, fallback);
        assertEquals(NioServerSocketChannel.class, fallback.serverChannel());
        assertEquals(NioSocketChannel.class, fallback.socketChannel());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void itsLoopsCarryItsChannelsOverLoopback(Transport transport) throws Exception {
        assumeTrue(transport != Transport.EPOLL || Transport.chosen() == Transport.EPOLL, "epoll does not load here");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        try {
            CompletableFuture<String> received = new CompletableFuture<>();
            Channel server = new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            received.complete(((io.netty.buffer.ByteBuf) msg).toString(StandardCharsets.US_ASCII));
                            ((io.netty.buffer.ByteBuf) msg).release();
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            Channel client = new Bootstrap().group(group).channel(transport.socketChannel())
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(server.localAddress()).sync().channel();
            client.writeAndFlush(Unpooled.copiedBuffer("EHLO x\r\n", StandardCharsets.US_ASCII)).sync();
            assertEquals("EHLO x\r\n", received.get(5, TimeUnit.SECONDS));
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
