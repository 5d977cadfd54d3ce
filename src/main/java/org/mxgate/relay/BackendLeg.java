package org.mxgate.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.mxgate.backend.Backend;
import org.mxgate.backend.BackendPool;
import org.mxgate.backend.BackendSession;
import org.mxgate.log.ProtocolLog;
import org.mxgate.mail.Reply;
import org.mxgate.mail.Transaction;

/**
 * The transaction on one backend session: the commands sent on it, the body written to it, and
 * how it ends, parked for the next transaction or dropped. A relay has at most one at a time;
 * the backend counts it as in flight (least_connections, capacity) from creation to its end.
 * Its replies never fail: a lost connection or a timeout is a null reply, for ReplyClassifier.
 */
final class BackendLeg {

    private final BackendSession session;
    private final BackendPool pool;
    private final Transaction transaction;
    private final Spool spool;
    private final EventLoop loop;
    private final ProtocolLog log;
    private boolean mailOpen = true;
    private boolean streaming;
    private boolean ended;
    private CompletableFuture<Boolean> bodyStream;

    BackendLeg(BackendSession session, BackendPool pool, Transaction transaction, Spool spool, EventLoop loop,
               ProtocolLog log) {
        this.session = session;
        this.pool = pool;
        this.transaction = transaction;
        this.spool = spool;
        this.loop = loop;
        this.log = log;
        // Counted on the backend already, since it was chosen (Relay.openOn); ended by end().
    }

    Backend backend() {
        return session.backend();
    }

    BackendSession session() {
        return session;
    }

    boolean isActive() {
        return !ended && session.channel().isActive();
    }

    CompletableFuture<Reply> send(String line, Duration timeout) {
        return settle(session.send(line, timeout));
    }

    /** One reply per line, in order, pipelined where the backend offers it; null for none. */
    CompletableFuture<List<Reply>> sendAll(List<String> lines, Duration timeout) {
        List<CompletableFuture<Reply>> replies = session.sendAll(lines, timeout);
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                .handle((ignored, error) -> replies.stream().map(BackendLeg::now).toList());
    }

    /**
     * Writes the body kept so far, chunk by chunk with back pressure (BodyStream), until it has
     * caught up with what the client has sent: true then, false when the backend went away or
     * took nothing for {@code timeout}, exceptionally when the spool could not be read. Once
     * caught up, each chunk the client sends goes straight on ({@link #bodyChunk}): from that
     * very step, so no chunk falls between the two.
     */
    CompletableFuture<Boolean> streamBody(Duration timeout) {
        BodyStream stream = BodyStream.start(transaction.body(), session, spool.reader(), () -> streaming = true);
        bodyStream = stream.written();
        watchProgress(stream, stream.position(), timeout);
        return bodyStream;
    }

    /**
     * Drops the connection when the backend has taken nothing of the body for {@code timeout}:
     * a slow backend that keeps reading may take as long as the message needs (ReplayMemoryIT).
     */
    private void watchProgress(BodyStream stream, long lastPosition, Duration timeout) {
        ScheduledFuture<?> check = loop.schedule(() -> {
            if (stream.written().isDone()) {
                return;
            }
            if (stream.position() == lastPosition) {
                log.backendEvent(backend().name(), "took no more of the body for " + timeout.toMillis() + " ms");
                session.abort();
                return;
            }
            watchProgress(stream, stream.position(), timeout);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        // Cancelled as soon as the body is written: left to run out, each check would hold its
        // transaction (body, envelope, leg) for the whole timeout, a heap that grew with the
        // message rate times the timeout (TimerRetentionTest).
        stream.written().whenComplete((written, failure) -> check.cancel(false));
    }

    boolean isLive() {
        return streaming && isActive();
    }

    void bodyChunk(ByteBuf chunk) {
        if (streaming) {
            session.writeBody(chunk.retainedDuplicate());
        }
    }

    boolean isBacklogged() {
        return isBodyInFlight() || streaming && !session.isWritable();
    }

    void whenDrained(Runnable action) {
        if (isBodyInFlight()) {
            bodyStream.whenComplete((ignored, error) -> whenDrained(action));
        } else {
            session.whenWritable(action);
        }
    }

    private boolean isBodyInFlight() {
        return bodyStream != null && !bodyStream.isDone();
    }

    CompletableFuture<Reply> endData(Duration timeout) {
        streaming = false;
        return settle(session.endData(timeout));
    }

    /** The backend answered the dot, or refused the sender: nothing is left open on the session. */
    void mailClosed() {
        mailOpen = false;
    }

    /** Drops the connection without another byte: never a dot for an unfinished body. */
    void abort() {
        session.abort();
        end();
    }

    /** Parks the session for the next transaction (RSET first if one is open), or drops it mid-body. */
    void release() {
        if (streaming || isBodyInFlight() || !session.isReusable()) {
            session.abort();
        } else {
            pool.release(session, mailOpen);
        }
        end();
    }

    private void end() {
        streaming = false;
        if (!ended) {
            ended = true;
            session.backend().transactionEnded();
        }
    }

    private static <T> CompletableFuture<T> settle(CompletableFuture<T> future) {
        return future.handle((value, error) -> error == null ? value : null);
    }

    private static Reply now(CompletableFuture<Reply> future) {
        try {
            return future.isCompletedExceptionally() ? null : future.join();
        } catch (CompletionException e) {
            return null;
        }
    }
}
