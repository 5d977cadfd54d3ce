package org.mxgate.listener;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * nothing the client sent reaches the session. With limits shared between instances the
 * answer may come a little later (shared_state.timeout at most); meanwhile nothing is read.
 * Decides nothing itself; never blocks.
 */
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final ListenerLimits limits;
    private final Supplier<Policy> policy;
    private final SessionEvents events;
    private boolean refused;
    /** While a shared store is asked: what arrived meanwhile, to pass on in order once admitted; null otherwise. */
    private List<Runnable> held;

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
        CompletableFuture<Admission> admission = limits.admitAsync(client, policy.get().clientLimits()).toCompletableFuture();
        if (admission.isDone()) {
            decide(ctx, client, admission.join());
            return;
        }
        // Shared limits ask Redis, within shared_state.timeout: until then nothing is read and
        // what already came (behind a PROXY header, or a TLS handshake's end) waits here.
        held = new ArrayList<>();
        ctx.channel().config().setAutoRead(false);
        admission.whenCompleteAsync((admitted, error) -> {
            if (error != null) {
                LOG.warn("admitting {}: {}", client.getHostAddress(), error.toString());
                ctx.close();
                return;
            }
            List<Runnable> replay = held;
            held = null;
            if (!ctx.channel().isActive()) {
                admitted.release();
                refused = true;
            } else {
                ctx.channel().config().setAutoRead(true);
                decide(ctx, client, admitted);
            }
            // In order, after the session's start, and then the end of that read (which flushes the
            // replies); a refused connection's are dropped.
            replay.forEach(Runnable::run);
            if (!replay.isEmpty() && !refused) {
                ctx.fireChannelReadComplete();
            }
        }, ctx.executor());
    }

    private void decide(ChannelHandlerContext ctx, InetAddress client, Admission admission) {
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
        if (held != null) {
            held.add(() -> channelRead(ctx, msg));
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
        if (held != null) {
            held.add(() -> userEventTriggered(ctx, event));
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
