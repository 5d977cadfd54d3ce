package org.mxgate.backend;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Backend sessions parked between transactions, after a successful RSET, for the next transaction
 * on the same event loop (a session is bound to its loop). Each deque is touched only from its
 * own loop. At most {@code perBackend} are kept per backend, loop and source address, whoever
 * they are bound to; each closes after the idle time. Never grows with the number of clients.
 */
final class IdleConnections {

    /**
     * Sessions are interchangeable only on one loop, to one backend, from one local address. The
     * key holds nothing of the client, so the map has at most backends x loops x source addresses
     * entries, and an entry goes when its last session does.
     */
    private record Key(Backend backend, EventLoop loop, InetAddress source) {
    }

    /**
     * A parked session and what watches it while it is parked: its idle timer and a listener on
     * its close. Both are undone when it leaves, so neither outlives the park. A timer left to
     * run out held the session for the whole idle time after every transaction, and a connection
     * reused N times carried N close listeners.
     */
    private record Parked(BackendSession session, ScheduledFuture<?> idleTimer, ChannelFutureListener onClose) {
        void unwatch() {
            idleTimer.cancel(false);
            session.channel().closeFuture().removeListener(onClose);
        }
    }

    private final Map<Key, ArrayDeque<Parked>> parked = new ConcurrentHashMap<>();
    private final int perBackend;
    private final Duration idleTimeout;

    IdleConnections(int perBackend, Duration idleTimeout) {
        this.perBackend = perBackend;
        this.idleTimeout = idleTimeout;
    }

    /**
     * A parked session still usable, or null. Call on {@code loop}.
     *
     * @param binding for {@code forward_client_ip: proxy_v2}, the client address a PROXY header
     *                must have named ({@link ForwardedClient#proxyBinding()}); null for a session
     *                bound to nobody. A PROXY header binds a connection for its whole life, so the
     *                only correct reuse is for the same client address (never another client's;
     *                the port may differ, and the backend keeps seeing the first one's).
     */
    BackendSession take(Backend backend, EventLoop loop, InetAddress source, String binding) {
        Key key = new Key(backend, loop, source);
        ArrayDeque<Parked> deque = parked.get(key);
        if (deque == null) {
            return null;
        }
        BackendSession found = null;
        // Newest first: the one least likely to have been closed by the backend meanwhile.
        for (Iterator<Parked> it = deque.descendingIterator(); it.hasNext(); ) {
            Parked candidate = it.next();
            BackendSession session = candidate.session();
            if (!session.isReusable()) {
                it.remove();
                candidate.unwatch();
            } else if (Objects.equals(session.boundTo(), binding)) {
                it.remove();
                candidate.unwatch();
                found = session;
                break;
            }
        }
        forgetIfEmpty(key, deque);
        if (found != null) {
            found.markParked();
        }
        return found;
    }

    /**
     * Parks the session; when {@code perBackend} are parked already, the one parked longest goes
     * (QUIT), so a stream of clients each bound to its own address keeps the newest, and the
     * count stays bounded (ProxyV2OutIT). Call on the session's loop.
     */
    void offer(BackendSession session) {
        EventLoop loop = session.channel().eventLoop();
        Key key = new Key(session.backend(), loop, session.source());
        ArrayDeque<Parked> deque = parked.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!deque.isEmpty() && deque.size() >= perBackend) {
            Parked oldest = deque.pollFirst();
            oldest.unwatch();
            oldest.session().quit();
        }
        ChannelFutureListener onClose = f -> unpark(key, deque, session);
        session.channel().closeFuture().addListener(onClose);
        ScheduledFuture<?> idleTimer = loop.schedule(() -> {
            if (unpark(key, deque, session)) {
                session.quit();
            }
        }, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        deque.addLast(new Parked(session, idleTimer, onClose));
    }

    /** Takes the session out of its deque and undoes its watchers; false when it was not parked there. */
    private boolean unpark(Key key, ArrayDeque<Parked> deque, BackendSession session) {
        for (Iterator<Parked> it = deque.iterator(); it.hasNext(); ) {
            Parked candidate = it.next();
            if (candidate.session() == session) {
                it.remove();
                candidate.unwatch();
                forgetIfEmpty(key, deque);
                return true;
            }
        }
        return false;
    }

    // Only this key's loop touches it, so nothing is added between the check and the removal.
    private void forgetIfEmpty(Key key, ArrayDeque<Parked> deque) {
        if (deque.isEmpty()) {
            parked.remove(key, deque);
        }
    }

    /** Closes the parked sessions of one backend, each on its own loop. */
    void closeAll(Backend backend) {
        parked.forEach((key, deque) -> {
            if (key.backend() == backend) {
                key.loop().execute(() -> new ArrayList<>(deque).forEach(p -> p.session().quit()));
            }
        });
    }

    /** Closes every parked session, each on its own loop. */
    void closeAll() {
        parked.forEach((key, deque) -> key.loop().execute(() -> new ArrayList<>(deque).forEach(p -> p.session().abort())));
    }
}
