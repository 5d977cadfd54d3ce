package org.mxgate.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import org.mxgate.backend.ForwardedClient;
import org.mxgate.log.ProtocolLog;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Reply;
import org.mxgate.mail.Transaction;

/**
 * What a client's session handler asks of the relay of one transaction, in the order of the
 * dialogue. {@link Relay} is the implementation; the handler sees only this, so each can be
 * tested without the other. Every method is called, and every future completes, on the
 * client's event loop.
 */
public interface TransactionRelay {

    /** Opens the relay of a transaction at its first recipient that policy accepts. */
    @FunctionalInterface
    interface Opener {
        TransactionRelay open(Transaction transaction, ProtocolLog log, ForwardedClient client, EventLoop loop);
    }

    /** The backend's verdict on one more recipient, or 451 4.4.1 when no backend can take the transaction. */
    CompletableFuture<Reply> addRecipient(MailAddress recipient);

    /** DATA: 354 when the client may send the body (at once on a live backend session), or the refusal. */
    CompletableFuture<Reply> beginData(String receivedHeader);

    /** Keeps a chunk of the body (wire form) and passes it on; does not release it. */
    void bodyChunk(ByteBuf chunk);

    /** True while the backend takes the body slower than the client sends it: the client should wait. */
    boolean isBacklogged();

    /** Runs the action once the backlog has drained, or the backend is gone. */
    void whenDrained(Runnable action);

    /** The body cannot be relayed (a bare line ending, too big): no byte after it reaches a backend. */
    void abandonBody();

    /** The final dot: the client's reply, 250 only when a backend took the message. */
    CompletableFuture<Reply> finishData();

    /** Ends the transaction: the body is released, the backend session parked or dropped. */
    void close();
}
