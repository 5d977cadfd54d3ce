package org.mxgate.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.mxgate.log.LogText;
import org.mxgate.net.Cidr;
import org.mxgate.net.ClientAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Behind Netty's HAProxyMessageDecoder, on connections from trusted balancers only: holds
 * the session back (no banner) until the PROXY header has named the real client, then records
 * it as the channel's {@link #CLIENT}, starts the session and removes itself. No header within
 * the timeout, or a bad one (StrictProxyV1Handler holds a v1 line to the specification's grammar
 * before Netty decodes it), closes the connection. v2 LOCAL (a balancer's own health check)
 * and v1 UNKNOWN keep the socket address, as the PROXY protocol specification requires.
 */
final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {

    static final AttributeKey<ClientAddress> CLIENT = AttributeKey.valueOf("mxgate.client");

    private static final Logger LOG = LoggerFactory.getLogger(ProxyHeaderHandler.class);

    private final Duration timeout;
    private ScheduledFuture<?> deadline;
    private boolean refused;

    ProxyHeaderHandler(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // The session starts, and greets, only once the header is in.
        deadline = ctx.executor().schedule(() -> {
            LOG.info("PROXY header from {} not received within {}; closing", ctx.channel().remoteAddress(), timeout);
            ctx.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            // Bytes before a header: the decoder refuses them; nothing reaches the session.
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        try {
            InetSocketAddress balancer = (InetSocketAddress) ctx.channel().remoteAddress();
            ClientAddress client = clientOf(header, balancer);
            if (client == null) {
                LOG.warn("PROXY header from {} names no usable address ({}); closing", balancer, LogText.escape(header));
                ctx.close();
                return;
            }
            ctx.channel().attr(CLIENT).set(client);
        } finally {
            header.release();
        }
        deadline.cancel(false);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    /** The real client the header names; the socket address for LOCAL and UNKNOWN; null when unusable. */
    static ClientAddress clientOf(HAProxyMessage header, InetSocketAddress balancer) {
        if (header.command() == HAProxyCommand.LOCAL || header.proxiedProtocol() == HAProxyProxiedProtocol.UNKNOWN) {
            return ClientAddress.direct(balancer);
        }
        HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
        if (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4 && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6) {
            return null;
        }
        try {
            // An IP literal, parsed without any DNS lookup.
            Cidr.parse(header.sourceAddress());
            InetSocketAddress real = new InetSocketAddress(java.net.InetAddress.getByName(header.sourceAddress()),
                    header.sourcePort());
            return new ClientAddress(real, balancer);
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // One warning a connection: the decoder may fail again on the bytes after a bad header.
        if (!refused) {
            refused = true;
            // The message quotes the header, bytes the client chose: escaped, so they cannot start a log line.
            LOG.warn("bad PROXY header from {}: {}; closing", ctx.channel().remoteAddress(), LogText.escape(cause.getMessage()));
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
