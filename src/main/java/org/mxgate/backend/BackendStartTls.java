package org.mxgate.backend;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSession;
import org.mxgate.config.BackendTlsConfig;
import org.mxgate.log.LogText;
import org.mxgate.net.HostPort;
import org.mxgate.tls.BackendTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STARTTLS on a new backend connection (RFC 3207), then EHLO again. With {@code required},
 * a server that does not offer it, refuses it or fails the handshake is a failed backend, so
 * the transaction moves on: never a silent fallback to plaintext (BackendTlsIT). With
 * {@code opportunistic}, only a missing or refused STARTTLS leaves the session in plaintext.
 */
final class BackendStartTls {

    private static final Logger LOG = LoggerFactory.getLogger(BackendStartTls.class);

    private final BackendTlsConfig config;
    private final BackendTls tls;
    private final String heloName;

    BackendStartTls(BackendTlsConfig config, BackendTls tls, String heloName) {
        this.config = config;
        this.tls = tls;
        this.heloName = heloName;
    }

    CompletableFuture<BackendSession> negotiate(BackendSession session, Duration timeout) {
        String name = session.backend().name();
        boolean required = config.mode() == BackendTlsConfig.Mode.REQUIRED;
        if (!session.offers("STARTTLS")) {
            if (required) {
                return failed(session, name + ": does not offer STARTTLS, and the pool requires TLS");
            }
            if (session.backend().warnOnce("no-starttls")) {
                LOG.warn("backend {} does not offer STARTTLS; its mail goes in plaintext (pool tls: opportunistic)", name);
            }
            return CompletableFuture.completedFuture(session);
        }
        return session.send("STARTTLS", timeout).thenCompose(reply -> {
            if (reply.code() != 220) {
                if (required) {
                    return failed(session, name + ": STARTTLS refused: " + reply);
                }
                LOG.warn("backend {} refused STARTTLS ({}); this session goes on in plaintext", name, LogText.escape(reply));
                return CompletableFuture.completedFuture(session);
            }
            return handshake(session, timeout);
        });
    }

    private CompletableFuture<BackendSession> handshake(BackendSession session, Duration timeout) {
        Channel channel = session.channel();
        // The configured name (or IP literal) is what the certificate must name.
        HostPort peer = session.backend().address();
        SslHandler handler = tls.newHandler(channel.alloc(), peer.host(), peer.port());
        handler.setHandshakeTimeoutMillis(timeout.toMillis());
        CompletableFuture<BackendSession> done = new CompletableFuture<>();
        channel.pipeline().addFirst("tls", handler);
        handler.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                session.abort();
                done.completeExceptionally(new BackendException(BackendException.Kind.REFUSED,
                        session.backend().name() + ": TLS handshake failed: " + BackendException.reason(f.cause()), null));
                return;
            }
            SSLSession ssl = handler.engine().getSession();
            session.tls(ssl.getProtocol() + " with cipher " + ssl.getCipherSuite());
            // RFC 3207 4.2: everything learnt before TLS is forgotten; ask again.
            session.send("EHLO " + heloName, timeout).whenComplete((ehlo, error) -> {
                if (error != null) {
                    done.completeExceptionally(BackendClient.unwrap(error));
                } else if (ehlo.code() != 250) {
                    session.abort();
                    done.completeExceptionally(new BackendException(BackendException.Kind.REFUSED,
                            session.backend().name() + ": EHLO after STARTTLS refused: " + ehlo, ehlo));
                } else {
                    session.capabilities(ehlo);
                    done.complete(session);
                }
            });
        });
        return done;
    }

    private static CompletableFuture<BackendSession> failed(BackendSession session, String reason) {
        session.abort();
        return CompletableFuture.failedFuture(new BackendException(BackendException.Kind.REFUSED, reason, null));
    }
}
