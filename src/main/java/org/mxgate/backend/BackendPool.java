package org.mxgate.backend;

import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.mxgate.config.PoolConfig;
import org.mxgate.mail.Reply;

/**
 * The servers of one {@code pools:} entry: which one takes the next transaction, and backend
 * sessions for it, reused after RSET where one is idle on the caller's event loop.
 */
public final class BackendPool {

    private final PoolConfig config;
    private final List<Backend> backends;
    private final Balancer balancer;
    private final BackendClient client;
    private final IdleConnections idle;

    public BackendPool(PoolConfig config, BackendClient client) {
        this.config = config;
        this.backends = config.servers().stream().map(s -> new Backend(config.name(), s)).toList();
        this.balancer = new Balancer(backends, config.balance());
        this.client = client;
        this.idle = new IdleConnections(config.idleConnections(), config.idleTimeout());
    }

    public PoolConfig config() {
        return config;
    }

    public List<Backend> backends() {
        return backends;
    }

    public Backend choose(Set<Backend> excluded) {
        return balancer.choose(excluded);
    }

    /** A parked session when one is idle on this loop, otherwise a new connection. */
    public CompletableFuture<BackendSession> acquire(Backend backend, EventLoop loop, boolean allowReuse) {
        if (allowReuse) {
            BackendSession parked = idle.take(backend, loop);
            if (parked != null) {
                return CompletableFuture.completedFuture(parked);
            }
        }
        return client.connect(backend, loop, config.connectTimeout(), config.commandTimeout());
    }

    /** Ends the session's transaction with RSET and parks it for reuse; a session in doubt is dropped. */
    public void release(BackendSession session) {
        if (!session.isReusable() || config.idleConnections() == 0) {
            session.quit();
            return;
        }
        session.send("RSET", config.commandTimeout()).whenComplete((Reply reply, Throwable error) -> {
            if (error == null && reply.code() == 250) {
                idle.offer(session);
            } else {
                session.abort();
            }
        });
    }

    public void close() {
        idle.closeAll();
    }
}
