package org.mxgate.listener;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.mxgate.limits.Admission;
import org.mxgate.limits.ListenerLimits;
import org.mxgate.mail.Refusal;
import org.mxgate.net.ClientAddress;
import org.mxgate.policy.Policy;
import org.mxgate.smtp.SessionEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a new connection, or refuses it before the session starts: behind any PROXY header (so
 * the limits count the real client, never the balancer) and behind implicit TLS (so a refused
 * client can read why), it asks the listener's limits under the policy in force. Admitted: the
 * session starts, the slots are given back when the connection closes, and this handler leaves
 * the pipeline. Refused: the 421 goes out instead of the greeting, the connection closes, and
 * nothing the client sent reaches the session. Decides nothing itself; never blocks.
 */
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final ListenerLimits limits;
    private final Supplier<Policy> policy;
    private final SessionEvents events;
    private boolean refused;

    ConnectionLimiter(ListenerLimits limits, Supplier<Policy> policy) {
        this(limits, policy, SessionEvents.NONE);
    }

    /** @param events where a refused connection is counted (ListenerLimits counts which limit refused it) */
    ConnectionLimiter(ListenerLimits limits, Supplier<Policy> policy, SessionEvents events) {
        this.limits = limits;
        this.policy = policy;
        this.events = events;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ClientAddress proxied = ctx.channel().attr(ProxyHeaderHandler.CLIENT).get();
        InetAddress client = proxied != null ? proxied.real().getAddress()
                : ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        Admission admission = limits.admit(client, policy.get().clientLimits());
        if (!admission.isAdmitted()) {
            refused = true;
            events.refused(Refusal.LIMITS);
            ctx.channel().config().setAutoRead(false);
            if (admission.isFirstRefusal()) {
                LOG.info("refused {}: {} (more refusals like it within a minute are not logged)", client.getHostAddress(),
                        admission.refusal());
            }
            // Below the reply encoder: the reply goes out as its bytes, then the connection closes.
            ctx.writeAndFlush(Unpooled.wrappedBuffer(admission.refusal().wireBytes())).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        // No leak: whatever ends the session, its slots come back (ConnectionLimitsIT).
        ctx.channel().closeFuture().addListener(closed -> admission.release());
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        // The end of an implicit TLS handshake must not reach a session that never started: it
        // would close the connection before the 421 waiting for that handshake is written.
        if (refused) {
            ReferenceCountUtil.release(event);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
