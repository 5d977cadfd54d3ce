package org.mxgate.backend;

import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Backend sessions parked between transactions, after a successful RSET, for the next transaction
 * on the same event loop (a session is bound to its loop). Each deque is touched only from its
 * own loop. At most {@code perBackend} are kept per backend and loop; each closes after the idle time.
 */
final class IdleConnections {

    /**
     * Sessions are interchangeable only on one loop, to one backend, from one local address, and,
     * when a PROXY header bound them to a client, for that client only.
     */
    private record Key(Backend backend, EventLoop loop, InetAddress source, String client) {
    }

    private final Map<Key, ArrayDeque<BackendSession>> parked = new ConcurrentHashMap<>();
    private final int perBackend;
    private final Duration idleTimeout;

    IdleConnections(int perBackend, Duration idleTimeout) {
        this.perBackend = perBackend;
        this.idleTimeout = idleTimeout;
    }

    /** A parked session still usable, or null. Call on {@code loop}. */
    BackendSession take(Backend backend, EventLoop loop, InetAddress source, String boundClient) {
        ArrayDeque<BackendSession> deque = parked.get(new Key(backend, loop, source, boundClient));
        if (deque == null) {
            return null;
        }
        BackendSession session;
        while ((session = deque.pollLast()) != null) {
            if (session.isReusable()) {
                session.markParked();
                return session;
            }
        }
        return null;
    }

    /** Parks the session, or quits it when enough are parked. Call on the session's loop. */
    void offer(BackendSession session) {
        EventLoop loop = session.channel().eventLoop();
        ArrayDeque<BackendSession> deque = parked.computeIfAbsent(new Key(session.backend(), loop, session.source(),
                        session.isBoundToClient() ? session.speaksFor() : null),
                k -> new ArrayDeque<>());
        if (deque.size() >= perBackend) {
            session.quit();
            return;
        }
        long since = System.nanoTime();
        session.markIdle(since);
        deque.addLast(session);
        session.channel().closeFuture().addListener(f -> deque.remove(session));
        loop.schedule(() -> {
            if (deque.contains(session) && session.idleSince() == since) {
                deque.remove(session);
                session.quit();
            }
        }, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes the parked sessions of one backend, each on its own loop. */
    void closeAll(Backend backend) {
        parked.forEach((key, deque) -> {
            if (key.backend() == backend) {
                key.loop().execute(() -> new ArrayList<>(deque).forEach(BackendSession::quit));
            }
        });
    }

    /** Closes every parked session, each on its own loop. */
    void closeAll() {
        parked.forEach((key, deque) -> key.loop().execute(() -> new ArrayList<>(deque).forEach(BackendSession::abort)));
    }
}
