package org.mxgate.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mxgate.config.PregreetConfig;
import org.mxgate.limits.ListenerLimits;
import org.mxgate.log.ProtocolLog;
import org.mxgate.log.SessionIdFactory;
import org.mxgate.mail.InstanceId;
import org.mxgate.mail.Refusal;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.net.ClientAddress;
import org.mxgate.smtp.SessionEvents;

/**
 * Postscreen's pregreet test: holds the session back (no channelActive, so no banner) for
 * {@code greet_delay}, then starts it and removes itself. A client that sends a byte meanwhile
 * gets {@link Replies#PREGREET} and is closed, and its address is remembered so its next
 * connections get {@link Replies#EARLY_TALKER} at once. With {@code greet_teaser} the first line
 * of a multi-line greeting, {@code 220-host ESMTP}, goes out at once and the session's
 * {@code 220 host ESMTP} ends it after the delay: a client that talks after the first line has
 * not waited for the reply to end (RFC 5321 4.2.1). Never blocks: the delay is a task scheduled
 * on the channel's event loop. Sits after the PROXY handlers, so the delay starts once the header
 * has named the real client, and the real client is what is remembered. With limits shared
 * between instances (shared_state) an early talker is remembered by all of them: each new
 * client is first looked up there, within shared_state.timeout, before its delay starts.
 */
final class PregreetHandler extends ChannelInboundHandlerAdapter {

    private final PregreetConfig config;
    private final String listener;
    private final String hostname;
    private final EarlyTalkers talkers;
    private final boolean behindBalancer;
    private final SessionEvents events;
    private final SessionIdFactory sessionIds;
    // Null without limits shared between instances (and in tests of this handler alone).
    private final ListenerLimits limits;

    private ScheduledFuture<?> greeting;
    /** While the other instances are asked whether they remember this client: it must not talk yet either. */
    private boolean asking;
    private ClientAddress client;
    private boolean refused;

    /** @param behindBalancer whether the connection comes from a trusted PROXY peer (its header came first) */
    PregreetHandler(PregreetConfig config, String listener, String hostname, EarlyTalkers talkers,
                    boolean behindBalancer) {
        this(config, listener, hostname, talkers, behindBalancer, SessionEvents.NONE,
                new SessionIdFactory(new InstanceId("0")));
    }

    /**
     * @param events where an early talker's refusal is counted, as a protocol error ({@link Refusal#SYNTAX})
     * @param sessionIds the gateway instance's: a refused early talker is logged as a session of its own
     */
    PregreetHandler(PregreetConfig config, String listener, String hostname, EarlyTalkers talkers,
                    boolean behindBalancer, SessionEvents events, SessionIdFactory sessionIds) {
        this(config, listener, hostname, talkers, behindBalancer, events, sessionIds, null);
    }

    /**
     * @param limits the listener's limits, through which early talkers are shared with the other
     *               instances (shared_state), or null
     */
    PregreetHandler(PregreetConfig config, String listener, String hostname, EarlyTalkers talkers,
                    boolean behindBalancer, SessionEvents events, SessionIdFactory sessionIds, ListenerLimits limits) {
        this.sessionIds = sessionIds;
        this.limits = limits;
        this.events = events;
        this.config = config;
        this.listener = listener;
        this.hostname = hostname;
        this.talkers = talkers;
        this.behindBalancer = behindBalancer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ClientAddress proxied = ctx.channel().attr(ProxyHeaderHandler.CLIENT).get();
        client = proxied != null ? proxied : ClientAddress.direct((InetSocketAddress) ctx.channel().remoteAddress());
        // A PROXY v2 LOCAL header (or v1 UNKNOWN) is the trusted balancer's own health check,
        // which often gives up within 2 s (HAProxy's default check timeout): greeted at once.
        if (behindBalancer && client.balancer() == null) {
            startSession(ctx);
            return;
        }
        if (talkers.isRemembered(client.real().getAddress())) {
            events.refused(Refusal.SYNTAX);
            refuse(ctx, Replies.EARLY_TALKER, null);
            return;
        }
        CompletableFuture<Boolean> elsewhere = limits == null ? null
                : limits.isEarlyTalkerAnywhere(client.real().getAddress(), config.remember()).toCompletableFuture();
        if (elsewhere == null || elsewhere.isDone()) {
            hold(ctx, elsewhere != null && elsewhere.join());
            return;
        }
        // Another instance may remember it (shared_state): asked within shared_state.timeout, far below the delay.
        asking = true;
        elsewhere.whenCompleteAsync((remembered, error) -> {
            asking = false;
            if (!refused && ctx.channel().isActive()) {
                hold(ctx, Boolean.TRUE.equals(remembered));
            }
        }, ctx.executor());
    }

    /** Refuses a client another instance remembers; holds back anyone else's greeting for the delay. */
    private void hold(ChannelHandlerContext ctx, boolean rememberedElsewhere) {
        if (rememberedElsewhere) {
            events.refused(Refusal.SYNTAX);
            refuse(ctx, Replies.EARLY_TALKER, null);
            return;
        }
        if (config.teaser()) {
            ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), "220-" + Replies.greeting(hostname).text() + "\r\n"));
        }
        greeting = ctx.executor().schedule(() -> startSession(ctx), config.delay().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        int bytes = msg instanceof ByteBuf buf ? buf.readableBytes() : 0;
        ReferenceCountUtil.release(msg);
        if (refused || greeting == null && !asking) {
            return;
        }
        if (greeting != null) {
            greeting.cancel(false);
        }
        talkers.remember(client.real().getAddress());
        if (limits != null) {
            limits.earlyTalker(client.real().getAddress(), config.remember());
        }
        events.refused(Refusal.SYNTAX);
        // Counted, not quoted: an early talker's bytes may be anything, an AUTH line with a password included.
        refuse(ctx, Replies.PREGREET, "(" + bytes + " bytes before the greeting)");
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Nothing reaches the session before it starts.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == SessionDrain.INSTANCE && greeting != null && !refused) {
            // A stopping gateway does not keep a client waiting for a banner it will follow with 421.
            greeting.cancel(false);
            refuse(ctx, Replies.shuttingDown(hostname), null);
            return;
        }
        // The client's timeouts (ClientTimeouts) sit after this handler and report to the session
        // only, which ignores them before it has started; the delay itself is at most 1m.
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (greeting != null) {
            greeting.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void startSession(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    /** Logs the refusal as a session of its own, writes the reply and closes. */
    private void refuse(ChannelHandlerContext ctx, Reply reply, String command) {
        // Reading goes on, into the bin (channelRead): bytes left unread at the close would turn it
        // into a reset that can overtake the reply.
        refused = true;
        ProtocolLog log = new ProtocolLog(listener, sessionIds.next(), client, ctx.executor());
        log.connect();
        if (command != null) {
            log.command(command);
        }
        log.reply(reply);
        log.disconnect();
        ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), reply.wire())).addListener(ChannelFutureListener.CLOSE);
    }
}
