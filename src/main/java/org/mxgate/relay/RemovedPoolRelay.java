package org.mxgate.relay;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.mail.Transaction;

/**
 * The relay of a transaction whose route names a pool a reload has removed: its MAIL read the
 * policy in force before that reload. Every recipient gets 451 4.4.1, so the client sends again
 * in a later transaction, under the new policy; nothing reaches a backend and nothing is lost.
 */
public final class RemovedPoolRelay implements TransactionRelay {

    private final Transaction transaction;

    public RemovedPoolRelay(Transaction transaction) {
        this.transaction = transaction;
    }

    @Override
    public CompletableFuture<Reply> addRecipient(MailAddress recipient) {
        return CompletableFuture.completedFuture(Replies.RELAY_FAILED);
    }

    // No recipient was accepted, so the session never gets this far; answered the same way all the same.
    @Override
    public CompletableFuture<Reply> beginData(String receivedHeader) {
        return CompletableFuture.completedFuture(Replies.RELAY_FAILED);
    }

    @Override
    public void bodyChunk(ByteBuf chunk) {
    }

    @Override
    public boolean isBacklogged() {
        return false;
    }

    @Override
    public void whenDrained(Runnable action) {
        action.run();
    }

    @Override
    public void abandonBody() {
    }

    @Override
    public CompletableFuture<Reply> finishData() {
        return CompletableFuture.completedFuture(Replies.RELAY_FAILED);
    }

    @Override
    public void close() {
        transaction.close();
    }
}
