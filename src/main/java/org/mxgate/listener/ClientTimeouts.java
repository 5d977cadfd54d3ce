package org.mxgate.listener;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mxgate.config.LimitsConfig;
import org.mxgate.mail.Reply;
import org.mxgate.smtp.SmtpInput;

/**
 * Times the client, not the connection: only a complete command line, a reply of ours, or
 * message content that keeps moving counts as activity, so a client trickling bytes without a
 * line end is idle however often it sends one. RFC 5321 4.5.3.2.7: the server waits a limited
 * time for the next command (idle_timeout). While the client sends content, each pause may last
 * data_block_timeout (4.5.3.2.5's three minutes by default), and once that long has passed the
 * content must average min_data_rate, so one byte a second cannot hold a connection, or a
 * backend transaction, for hours (as Postfix's smtpd_min_data_rate). Every connection ends
 * after max_session_time. Reports {@link Expired} as a user event; the session handler ignores
 * it while the client waits on us (a backend's answer, or reading paused because a backend is
 * slower than the client), and the client's time starts again. One timer per connection, set
 * to the nearest deadline.
 */
final class ClientTimeouts extends ChannelDuplexHandler {

    enum Kind { COMMAND, DATA_BLOCK, DATA_RATE, SESSION }

    /** The user event: the client took too long, in this way. */
    record Expired(Kind kind) {
    }

    private final LimitsConfig limits;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long start;
    private long lastActivity;
    private boolean inContent;
    private long contentStart;
    private long contentBytes;

    ClientTimeouts(LimitsConfig limits) {
        this.limits = limits;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        start = now();
        lastActivity = start;
        schedule();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        cancel();
        super.channelInactive(context);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
        if (msg instanceof SmtpInput.Line || msg instanceof SmtpInput.LineTooLong) {
            lastActivity = now();
        } else if (msg instanceof SmtpInput.BodyChunk chunk) {
            if (!inContent) {
                inContent = true;
                contentStart = now();
                contentBytes = 0;
            }
            contentBytes += chunk.bytes().readableBytes();
            lastActivity = now();
        } else if (msg instanceof SmtpInput.BodyEnd) {
            inContent = false;
            lastActivity = now();
        }
        super.channelRead(context, msg);
    }

    @Override
    public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) throws Exception {
        // The client's clock starts when it has our answer; a 354 starts its content.
        if (msg instanceof Reply reply) {
            lastActivity = now();
            if (reply.code() == 354) {
                inContent = true;
                contentStart = lastActivity;
                contentBytes = 0;
            }
        }
        super.write(context, msg, promise);
    }

    private void check() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        Kind expired = expired(now());
        if (expired != null) {
            ctx.fireUserEventTriggered(new Expired(expired));
            // Still open: the client was waiting on us (a backend's answer, or reading paused for
            // back pressure), so it gets its full time again from here.
            lastActivity = now();
            contentStart = lastActivity;
            contentBytes = 0;
        }
        schedule();
    }

    /** Which limit the client has overstepped at {@code now}, or null. */
    Kind expired(long now) {
        if (now - start >= limits.maxSessionTime().toNanos()) {
            return Kind.SESSION;
        }
        if (!inContent) {
            return now - lastActivity >= limits.idleTimeout().toNanos() ? Kind.COMMAND : null;
        }
        if (now - lastActivity >= limits.dataBlockTimeout().toNanos()) {
            return Kind.DATA_BLOCK;
        }
        long elapsed = now - contentStart;
        if (limits.minDataRate() > 0 && elapsed >= limits.dataBlockTimeout().toNanos()
                && contentBytes * 1_000_000_000L / elapsed < limits.minDataRate()) {
            return Kind.DATA_RATE;
        }
        return null;
    }

    private void schedule() {
        long now = now();
        long next = start + limits.maxSessionTime().toNanos();
        if (!inContent) {
            next = Math.min(next, lastActivity + limits.idleTimeout().toNanos());
        } else {
            next = Math.min(next, lastActivity + limits.dataBlockTimeout().toNanos());
            // The rate is looked at no more often than once a second.
            next = Math.min(next, Math.max(contentStart + limits.dataBlockTimeout().toNanos(), now + 1_000_000_000L));
        }
        timer = ctx.executor().schedule(this::check, Math.max(1, next - now), TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }
}
