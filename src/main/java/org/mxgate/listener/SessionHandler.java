package org.mxgate.listener;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import org.mxgate.auth.AuthResult;
import org.mxgate.backend.ForwardedClient;
import org.mxgate.dnsbl.DnsblScore;
import org.mxgate.log.LogText;
import org.mxgate.log.ProtocolLog;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.net.ClientAddress;
import org.mxgate.policy.Policy;
import org.mxgate.relay.TransactionRelay;
import org.mxgate.smtp.Effect;
import org.mxgate.smtp.SmtpInput;
import org.mxgate.smtp.SmtpLineDecoder;
import org.mxgate.smtp.SmtpSession;
import org.mxgate.smtp.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the {@link Step}s of one client's {@link SmtpSession}; decides nothing itself.
 * While an effect waits for a backend, reading is paused, so pipelined commands are answered
 * in order and each exactly once; backend results come back on this channel's event loop.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

    /** How long the last reply of a closing session may wait for a client that does not read. */
    static final int CLOSE_GRACE_SECONDS = 10;

    private final ListenerServices services;
    private final Supplier<Policy> policy;
    private final SmtpLineDecoder decoder;

    private ChannelHandlerContext ctx;
    private SmtpSession session;
    private ProtocolLog log;
    private TransactionRelay relay;
    private boolean waiting;
    private boolean closing;
    private boolean draining;
    private ClientAddress client;
    private CompletableFuture<DnsblScore> dnsbl;
    private ScheduledFuture<?> forcedClose;

    SessionHandler(ListenerServices services, Supplier<Policy> policy, SmtpLineDecoder decoder) {
        this.services = services;
        this.policy = policy;
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        // Set before the session starts: behind a PROXY header, reads complete before channelActive.
        ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        ClientAddress proxied = ctx.channel().attr(ProxyHeaderHandler.CLIENT).get();
        client = proxied != null ? proxied : ClientAddress.direct((InetSocketAddress) ctx.channel().remoteAddress());
        String listener = services.config().name();
        session = new SmtpSession(services.hostname(), listener, policy, client, services.clock(), services.config().tls(),
                services.limits(), services.budget()::isNearlySpent, services.events(), services.ids().queueIds());
        // Started now, so the answer is usually in before the first RCPT needs it.
        if (services.dnsbl() != null && policy.get().usesDnsbl()) {
            dnsbl = services.dnsbl().check(client.real().getAddress());
        }
        if (!policy.get().hasRelayNetworks()) {
            services.nat().sessionFrom(client.real().getAddress()).ifPresent(LOG::warn);
        }
        log = new ProtocolLog(listener, services.ids().sessionIds().next(), client, ctx.executor());
        log.connect();
        ctx.fireChannelActive();
        if (dnsbl != null && policy.get().checksDnsblAtConnect()) {
            // No greeting until the lists have answered (or timed out); nothing is read meanwhile.
            CompletableFuture<DnsblScore> lists = dnsbl;
            dnsbl = null;
            await(lists, score -> {
                session.dnsbl(score);
                return session.greet();
            }, null);
            return;
        }
        apply(session.greet());
        flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (closing) {
            if (msg instanceof SmtpInput.BodyChunk chunk) {
                chunk.bytes().release();
            }
            return;
        }
        if (msg instanceof SmtpInput.Line line) {
            log.command(session.loggable(line));
            if (dnsbl != null && line.text().regionMatches(true, 0, "RCPT", 0, 4)) {
                CompletableFuture<DnsblScore> lists = dnsbl;
                dnsbl = null;
                if (!lists.isDone()) {
                    // The first RCPT waits for the DNS lists; reading stays paused meanwhile.
                    await(lists, score -> {
                        session.dnsbl(score);
                        return session.handle(line);
                    }, null);
                    return;
                }
                session.dnsbl(lists.isCompletedExceptionally() ? null : lists.join());
            }
            apply(session.handle(line));
        } else if (msg instanceof SmtpInput.BodyChunk chunk) {
            try {
                apply(session.onBodyChunk(chunk.bytes()));
            } finally {
                chunk.bytes().release();
            }
        } else if (msg instanceof SmtpInput.BodyRefused) {
            apply(session.onBodyRefused());
        } else if (msg instanceof SmtpInput.BodyEnd end) {
            apply(session.onDataEnd(end.result()));
        } else if (msg instanceof SmtpInput.LineTooLong tooLong) {
            log.command("(line over " + tooLong.limit() + " octets)");
            apply(session.onLineTooLong());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            tlsEstablished(handshake);
            return;
        }
        if (event == SessionDrain.INSTANCE) {
            draining = true;
            if (session != null) {
                endIfDraining();
                flush();
            }
            return;
        }
        // A client waiting on a backend's answer, or held back while a backend catches up, is not slow.
        boolean heldBack = waiting || relay != null && relay.isBacklogged();
        if (event instanceof ClientTimeouts.Expired expired && !heldBack && !closing && session != null) {
            services.events().limitHit(switch (expired.kind()) {
                case COMMAND -> "limits.idle_timeout";
                case DATA_BLOCK -> "limits.data_block_timeout";
                case DATA_RATE -> "limits.min_data_rate";
                case SESSION -> "limits.max_session_time";
            });
            apply(switch (expired.kind()) {
                case COMMAND, DATA_BLOCK -> session.onIdleTimeout();
                case DATA_RATE -> session.onDataTooSlow();
                case SESSION -> session.onSessionTooLong();
            });
            flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        closing = true;
        if (forcedClose != null) {
            forcedClose.cancel(false);
        }
        if (session == null) {
            // Closed before the session started (no PROXY header): nothing was logged or relayed.
            return;
        }
        endRelay();
        log.disconnect();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.debug("session {}: {}", log == null ? "-" : log.session(), LogText.escape(cause));
        ctx.close();
    }

    private void apply(Step step) {
        for (Reply reply : step.replies()) {
            log.reply(reply);
            ctx.write(reply);
        }
        if (step.effect() != null) {
            carryOut(step.effect());
        }
        if (!waiting && !session.inTransaction()) {
            endRelay();
        }
        // RFC 4954 4: SASL responses may be longer than commands (CommandLineIT).
        decoder.authExchange(session.inAuthExchange());
        endIfDraining();
    }

    /** The step's one effect; those that wait for an answer pause reading until it is in ({@link #await}). */
    private void carryOut(Effect effect) {
        if (effect instanceof Effect.Close) {
            close();
        } else if (effect instanceof Effect.RelayRecipient r) {
            if (relay == null) {
                relay = services.relays().open(r.transaction(), log, forwardedClient(), ctx.channel().eventLoop());
            }
            await(relay.addRecipient(r.recipient()), session::onRecipientReply, Replies.LOCAL_ERROR);
        } else if (effect instanceof Effect.OpenData d) {
            await(relay.beginData(d.receivedHeader()), session::onDataReply, Replies.LOCAL_ERROR);
        } else if (effect instanceof Effect.ReceiveBody b) {
            decoder.enterData(b.maxSize());
        } else if (effect instanceof Effect.RelayBody b) {
            relay.bodyChunk(b.bytes());
            // Back pressure: stop reading from the client until the backend has taken what it was sent.
            if (relay.isBacklogged()) {
                decoder.pause();
                relay.whenDrained(this::resumeAfterBacklog);
            }
        } else if (effect instanceof Effect.AbandonBody) {
            relay.abandonBody();
        } else if (effect instanceof Effect.FinishData) {
            await(relay.finishData(), session::onDataOutcome, Replies.LOCAL_ERROR);
        } else if (effect instanceof Effect.StartTls) {
            // RFC 3207 5 (CVE-2011-0411): what the client pipelined after STARTTLS came in plaintext
            // and is thrown away; from here every byte goes through TLS (StartTlsInjectionIT). The
            // 220 is already written below the TLS handler, so it leaves in plaintext.
            decoder.discardBuffered();
            ctx.pipeline().addFirst("tls", services.tls().newHandler(ctx.alloc(), false));
        } else if (effect instanceof Effect.Authenticate a) {
            String login = a.login();
            await(services.auth().authenticate(policy.get().users(), client.real().getAddress(), login, a.password()),
                    result -> {
                        log.auth(login, result.name().toLowerCase(Locale.ROOT));
                        return session.onAuthResult(result);
                    }, AuthResult.UNAVAILABLE);
        }
    }

    /** Writes what is queued, then closes. */
    private void close() {
        closing = true;
        decoder.pause();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        // A client that reads nothing would keep its connection while the last reply waits to
        // be written, and a closing session has no idle timer (SessionLimitsIT).
        forcedClose = ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /** The client as XCLIENT or a PROXY v2 header tells a backend about it. */
    private ForwardedClient forwardedClient() {
        return new ForwardedClient(client, session.helo(), session.isExtended() ? "ESMTP" : "SMTP",
                ctx.channel().localAddress() instanceof InetSocketAddress local ? local : null, session.login());
    }

    /** A stopping gateway ends a session only between transactions, so no message is cut off (DrainIT). */
    private void endIfDraining() {
        if (draining && !closing && !waiting && !session.inTransaction()) {
            apply(session.onShutdown());
        }
    }

    /** The handshake's outcome: the session starts over encrypted (RFC 3207 4.2), or the connection ends. */
    private void tlsEstablished(SslHandshakeCompletionEvent handshake) {
        if (session == null) {
            // Behind a PROXY header that never came: nothing started, nothing to log.
            ctx.close();
            return;
        }
        if (!handshake.isSuccess()) {
            log.tls("handshake failed: " + handshake.cause());
            closing = true;
            ctx.close();
            flush();
            return;
        }
        SSLSession tls = ctx.pipeline().get(SslHandler.class).engine().getSession();
        String description = tls.getProtocol() + " with cipher " + tls.getCipherSuite();
        log.tls(description);
        session.onTlsEstablished(description);
    }

    /**
     * Pauses reading until the answer (a backend's, the login check's, the DNS lists') is in,
     * then applies the session's next step on this event loop; a failure becomes {@code onError}.
     * The one way an asynchronous result reaches the session: nothing calls back into channelRead.
     */
    private <T> void await(CompletableFuture<T> pending, Function<T, Step> next, T onError) {
        waiting = true;
        decoder.pause();
        flush();
        pending.whenCompleteAsync((reply, error) -> {
            waiting = false;
            if (closing) {
                return;
            }
            if (error != null) {
                LOG.warn("session {}: a backend, login or DNS list check failed", log.session(), error);
            }
            apply(next.apply(error == null ? reply : onError));
            if (!waiting && !closing) {
                decoder.resume();
            }
            flush();
        }, ctx.executor());
    }

    private void resumeAfterBacklog() {
        if (!waiting && !closing) {
            decoder.resume();
            flush();
        }
    }

    private void flush() {
        ctx.flush();
    }

    private void endRelay() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }
}
