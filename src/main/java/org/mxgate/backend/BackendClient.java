package org.mxgate.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.mxgate.mail.Reply;

/**
 * Opens SMTP sessions to backends: connect, greeting, EHLO (HELO when EHLO is refused). Runs on
 * the caller's event loop, so a client session and its backend session share one thread.
 */
public final class BackendClient {

    private final String heloName;

    public BackendClient(String heloName) {
        this.heloName = heloName;
    }

    /** The name we give in EHLO to backends. */
    String heloName() {
        return heloName;
    }

    /**
     * @param source the local address to connect from, or null for the system's choice
     * @param proxyFor the client a PROXY v2 header names before anything else, or null for none
     */
    public CompletableFuture<BackendSession> connect(Backend backend, EventLoop loop, InetAddress source,
                                                     ForwardedClient proxyFor, Duration connectTimeout,
                                                     Duration commandTimeout) {
        return open(backend, loop, source, proxyFor, connectTimeout, commandTimeout, true);
    }

    /**
     * @param proxyFor the PROXY v2 header sent before anything else (a client's, or a probe's LOCAL), or null for none
     * @param greetAndHello false to stop after the greeting (the {@code connect} health probe)
     */
    CompletableFuture<BackendSession> open(Backend backend, EventLoop loop, InetAddress source, ProxyHeader proxyFor,
                                           Duration connectTimeout, Duration commandTimeout, boolean greetAndHello) {
        CompletableFuture<BackendSession> result = new CompletableFuture<>();
        BackendSession session = new BackendSession(backend, source);
        Bootstrap bootstrap = new Bootstrap();
        if (source != null) {
            bootstrap.localAddress(new InetSocketAddress(source, 0));
        }
        ChannelFuture connect = bootstrap
                .group(loop)
                .channel(Transport.chosen().socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(handlers(session));
                    }
                })
                .connect(backend.address().resolved());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new BackendException(BackendException.Kind.CONNECT,
                        backend.name() + ": cannot connect: " + BackendException.reason(f.cause()), null));
                return;
            }
            greet(session, proxyFor, commandTimeout, greetAndHello).whenComplete((ready, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(ready);
                }
            });
        });
        return result;
    }

    /** What follows the connection: the handlers a backend connection's pipeline holds, the session last. */
    static ChannelHandler[] handlers(BackendSession session) {
        return new ChannelHandler[] {new ReplyDecoder(), session};
    }

    /**
     * On a connected channel holding {@link #handlers}: the PROXY header if any, the greeting, then
     * EHLO (HELO when EHLO is refused). Completes with the session, or fails and aborts it.
     */
    CompletableFuture<BackendSession> greet(BackendSession session, ProxyHeader proxyFor, Duration commandTimeout,
                                            boolean greetAndHello) {
        Backend backend = session.backend();
        CompletableFuture<BackendSession> result = new CompletableFuture<>();
        if (proxyFor != null) {
            sendProxyHeader(session, proxyFor);
        }
        session.expect(commandTimeout)
                .thenCompose(greeting -> {
                    if (greeting.code() != 220) {
                        throw refused(backend, "greeting", greeting);
                    }
                    if (!greetAndHello) {
                        return CompletableFuture.completedFuture(Reply.of(250, null, "greeting only"));
                    }
                    return session.send("EHLO " + heloName, commandTimeout);
                })
                .thenCompose(ehlo -> heloIfNeeded(session, ehlo, commandTimeout, greetAndHello))
                .whenComplete((last, error) -> {
                    if (error == null && last.code() != 250) {
                        error = refused(backend, "HELO", last);
                    }
                    if (error != null) {
                        session.abort();
                        result.completeExceptionally(unwrap(error));
                    } else {
                        result.complete(session);
                    }
                });
        return result;
    }

    /** The header goes first and only once; this connection then carries this client address's mail only. */
    private static void sendProxyHeader(BackendSession session, ProxyHeader proxyFor) {
        Channel channel = session.channel();
        channel.pipeline().addFirst("proxy", HAProxyMessageEncoder.INSTANCE);
        channel.writeAndFlush(proxyFor.proxyHeader());
        channel.pipeline().remove("proxy");
        session.boundTo(proxyFor.proxyBinding());
    }

    /** RFC 5321 3.2: a server that refuses EHLO for good may still take HELO; a 4xx is a refusal. */
    private CompletableFuture<Reply> heloIfNeeded(BackendSession session, Reply ehlo, Duration commandTimeout,
                                                  boolean greetAndHello) {
        if (ehlo.code() == 250) {
            if (greetAndHello) {
                session.capabilities(ehlo);
            }
            return CompletableFuture.completedFuture(ehlo);
        }
        if (ehlo.isPermanent()) {
            return session.send("HELO " + heloName, commandTimeout);
        }
        throw refused(session.backend(), "EHLO", ehlo);
    }

    private static BackendException refused(Backend backend, String stage, Reply reply) {
        return new BackendException(BackendException.Kind.REFUSED, backend.name() + ": " + stage + " refused: " + reply, reply);
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
