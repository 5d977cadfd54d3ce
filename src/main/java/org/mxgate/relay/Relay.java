package org.mxgate.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mxgate.backend.Backend;
import org.mxgate.backend.BackendPool;
import org.mxgate.backend.BackendSession;
import org.mxgate.backend.ForwardedClient;
import org.mxgate.log.ProtocolLog;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.mail.Transaction;
import org.mxgate.metrics.GatewayMetrics;
import org.mxgate.relay.ReplyClassifier.Meaning;
import org.mxgate.relay.ReplyClassifier.Stage;

/**
 * One client transaction on a backend pool (the before-queue proxy model): the first accepted
 * recipient opens a backend session, later recipients go to the same one, and a backend that
 * pushes back or goes away hands the transaction (MAIL, accepted recipients, kept body) to the
 * next, as {@link Attempts} allows. 250 means a backend has it: the client's 250 is only ever
 * built from a backend's 2xx to the final dot, and no transaction is sent again after one
 * (RelayFailoverIT). Read top to bottom: recipients, DATA and the body, the final dot, the end.
 * Runs on its client's event loop; every future completes there.
 */
public final class Relay implements TransactionRelay {

    private static final Pattern BACKEND_QUEUE_ID = Pattern.compile("queued as ([A-Za-z0-9.\\-_]+)");

    private final BackendPool pool;
    private final Transaction transaction;
    private final EventLoop loop;
    private final Spool spool;
    private final ProtocolLog log;
    private final ForwardedClient client;
    private final InetAddress source;
    private final String listener;
    private final Attempts attempts;

    private BackendLeg current;
    private CompletableFuture<Void> dataAnswer;
    private Reply dataRefusal;
    private Throwable spoolFailure;
    private boolean bodyNotKept;
    private boolean closed;

    /**
     * @param client the real client, for pools that forward it to backends (XCLIENT, PROXY v2)
     * @param source the listener's {@code source_address} for backend connections, or null
     * @param listener the listener's name, for the pool's admission control
     * @param nanoTime a monotonic clock for the time budget: {@code System::nanoTime}
     * @param metrics where each attempt is counted, by backend and how it ended
     */
    public Relay(BackendPool pool, Transaction transaction, EventLoop loop, Spool spool, ProtocolLog log,
                 ForwardedClient client, InetAddress source, String listener, LongSupplier nanoTime,
                 GatewayMetrics metrics) {
        this.pool = pool;
        this.transaction = transaction;
        this.loop = loop;
        this.spool = spool;
        this.log = log;
        this.client = client;
        this.source = source;
        this.listener = listener;
        this.attempts = new Attempts(pool, nanoTime, log, metrics);
    }

    // ---- Recipients ----

    @Override
    public CompletableFuture<Reply> addRecipient(MailAddress recipient) {
        attempts.startBudget();
        if (current == null) {
            return open(recipient);
        }
        BackendLeg leg = current;
        return leg.send("RCPT TO:" + recipient.path(), attempts.commandTimeout())
                .thenCompose(reply -> recipientVerdict(leg, recipient, reply));
    }

    /** The backend's reply to a new recipient is the client's, unless the backend failed: then the next one. */
    private CompletableFuture<Reply> recipientVerdict(BackendLeg leg, MailAddress recipient, Reply reply) {
        Meaning meaning = ReplyClassifier.classify(Stage.RECIPIENT, reply);
        if (meaning == Meaning.NEXT_BACKEND || meaning == Meaning.PRESSURE) {
            moveOn(leg, "RCPT", reply, meaning);
            return open(recipient);
        }
        return CompletableFuture.completedFuture(meaning == Meaning.ODD ? Replies.BACKEND_ODD_REPLY : reply);
    }

    /**
     * Opens the transaction on the next backend: MAIL, the recipients accepted so far and, when
     * given, the new one. For {@code recipient == null} a positive reply means it is open again.
     */
    private CompletableFuture<Reply> open(MailAddress recipient) {
        if (closed) {
            return CompletableFuture.completedFuture(Replies.RELAY_FAILED);
        }
        if (attempts.isFirst() && !pool.admits(listener)) {
            return CompletableFuture.completedFuture(Replies.POOL_BUSY);
        }
        Backend backend = attempts.next();
        return backend == null ? CompletableFuture.completedFuture(attempts.exhausted()) : openOn(backend, recipient, false);
    }

    /**
     * The transaction counts on {@code backend} from here, not once a connection is up: the
     * balancer's least_connections must see the transactions waiting for a slow backend's
     * greeting (LeastConnectionsIT). The leg takes the count over; every other way out gives it back.
     *
     * @param fresh a new connection even where one is parked: the parked one just proved dead
     */
    private CompletableFuture<Reply> openOn(Backend backend, MailAddress recipient, boolean fresh) {
        backend.transactionStarted();
        CompletableFuture<BackendSession> acquired;
        try {
            acquired = pool.acquire(backend, loop, client, source, fresh);
        } catch (RuntimeException e) {
            backend.transactionEnded();
            throw e;
        }
        return settle(acquired).thenCompose(session -> {
            if (closed) {
                backend.transactionEnded();
                if (session != null) {
                    session.abort();
                }
                return CompletableFuture.completedFuture(Replies.RELAY_FAILED);
            }
            if (session == null) {
                backend.transactionEnded();
                attempts.couldNotOpen(backend, failure(acquired));
                return open(recipient);
            }
            String missing = BackendEnvelope.missingExtension(transaction.envelope(), session);
            if (missing != null) {
                backend.transactionEnded();
                attempts.lacks(backend, missing);
                pool.release(session, session.needsReset());
                return open(recipient);
            }
            return sendEnvelope(session, recipient, fresh);
        });
    }

    /** [RSET,] MAIL, every recipient accepted so far and the new one, pipelined where offered. */
    private CompletableFuture<Reply> sendEnvelope(BackendSession session, MailAddress recipient, boolean fresh) {
        BackendLeg leg = new BackendLeg(session, pool, transaction, spool, loop, log);
        current = leg;
        Backend backend = session.backend();
        log.backendEvent(backend.name(), session.tls() == null ? "transaction opened" : "transaction opened over " + session.tls());
        List<String> lines = new ArrayList<>();
        boolean reset = session.needsReset();
        if (reset) {
            lines.add("RSET");
        }
        lines.add(BackendEnvelope.mailCommand(transaction.envelope(), session));
        transaction.recipients().forEach(r -> lines.add("RCPT TO:" + r.path()));
        if (recipient != null) {
            lines.add("RCPT TO:" + recipient.path());
        }
        long sent = attempts.now();
        return leg.sendAll(lines, attempts.commandTimeout()).thenCompose(answers -> {
            // A parked session the backend closed meanwhile answers nothing: that is not the
            // backend failing, so it gets a new connection, not counted as an attempt.
            if (session.wasParked() && answers.get(0) == null && !fresh) {
                log.backendEvent(backend.name(), "parked session was closed by the backend; reconnecting");
                end(leg, false);
                return openOn(backend, recipient, true);
            }
            if (reset) {
                Meaning atReset = ReplyClassifier.classify(Stage.RESET, answers.get(0));
                if (atReset != Meaning.OK) {
                    moveOn(leg, "RSET", answers.get(0), atReset);
                    return open(recipient);
                }
            }
            List<Reply> envelope = reset ? answers.subList(1, answers.size()) : answers;
            attempts.noteMailAnswered(backend, sent, envelope.get(0));
            return opened(leg, recipient, envelope);
        });
    }

    private CompletableFuture<Reply> opened(BackendLeg leg, MailAddress recipient, List<Reply> answers) {
        Reply mail = answers.get(0);
        Meaning atMail = ReplyClassifier.classify(Stage.MAIL, mail);
        if (atMail == Meaning.VERDICT) {
            // The backend refuses the sender for good: that is the answer to this recipient.
            attempts.answered(leg.backend(), mail);
            leg.mailClosed();
            end(leg, true);
            return CompletableFuture.completedFuture(mail);
        }
        if (atMail != Meaning.OK) {
            moveOn(leg, "MAIL", mail, atMail);
            return open(recipient);
        }
        for (int i = 0; i < transaction.recipients().size(); i++) {
            Reply replayed = answers.get(1 + i);
            Meaning meaning = ReplyClassifier.classify(Stage.REPLAYED_RECIPIENT, replayed);
            if (meaning == Meaning.NOT_HERE) {
                // The client was told 250 for it, so this backend cannot take the transaction; a
                // refused recipient says nothing about the backend's health (RelayFailoverIT).
                attempts.refusedReplay(leg.backend(), replayed);
                end(leg, true);
                return open(recipient);
            }
            if (meaning != Meaning.OK) {
                moveOn(leg, "replayed RCPT", replayed, meaning);
                return open(recipient);
            }
        }
        return recipient == null ? CompletableFuture.completedFuture(mail)
                : recipientVerdict(leg, recipient, answers.get(answers.size() - 1));
    }

    // ---- DATA and the body ----

    /**
     * On a live backend session the client gets its 354 at once: the body is kept for a replay
     * anyway, so it may arrive before the backend's 354, which then releases what was kept so
     * far; a refusal of DATA is answered after the final dot. This saves one backend round trip
     * per message. Without a live session the 354 waits for a backend's.
     */
    @Override
    public CompletableFuture<Reply> beginData(String receivedHeader) {
        attempts.startBudget();
        transaction.receiveBody(spool.newBody());
        keep(ByteBuffer.wrap(receivedHeader.getBytes(StandardCharsets.UTF_8)));
        if (current != null && !current.isActive()) {
            moveOn(current, "DATA", null, Meaning.NEXT_BACKEND);
        }
        if (current == null) {
            // No live backend session: open one, and answer with its 354 or its refusal.
            return reopenWithBody();
        }
        BackendLeg leg = current;
        dataAnswer = sendData(leg).thenAccept(reply -> {
            if (reply == null || closed || current != leg) {
                return;
            }
            // On its 354 the leg went live itself, as the kept body caught up (BackendLeg.streamBody).
            if (reply.code() != 354) {
                dataRefusal = reply;
            }
        });
        return CompletableFuture.completedFuture(Replies.START_DATA);
    }

    /**
     * MAIL, the accepted recipients, DATA and the body kept so far, on the next backend that
     * takes them: its 354 (it is then {@link #current}), or the reply that ends the attempts.
     */
    private CompletableFuture<Reply> reopenWithBody() {
        return open(null).thenCompose(opened -> {
            if (!opened.isPositive()) {
                return CompletableFuture.completedFuture(opened);
            }
            return sendData(current).thenCompose(reply ->
                    reply == null ? reopenWithBody() : CompletableFuture.completedFuture(reply));
        });
    }

    /**
     * DATA, and on the backend's 354 the body kept so far, for the first attempt and every
     * replay alike. The 354 once all of it was written; the backend's refusal (or 451 4.3.0 when
     * the spool cannot be read); null when the backend failed and the next one should be tried.
     */
    private CompletableFuture<Reply> sendData(BackendLeg leg) {
        return leg.send("DATA", attempts.commandTimeout()).thenCompose(reply -> {
            if (closed || current != leg) {
                return CompletableFuture.completedFuture(Replies.RELAY_FAILED);
            }
            Meaning meaning = ReplyClassifier.classify(Stage.DATA, reply);
            if (meaning == Meaning.VERDICT) {
                attempts.answered(leg.backend(), reply);
                return CompletableFuture.completedFuture(reply);
            }
            if (meaning != Meaning.OK) {
                moveOn(leg, "DATA", reply, meaning);
                return CompletableFuture.completedFuture(null);
            }
            return leg.streamBody(attempts.dataTimeout()).handle((written, error) -> {
                if (error != null) {
                    spoolFailure = error;
                    end(leg, false);
                    return Replies.LOCAL_ERROR;
                }
                // Not when the body was abandoned (a bare line ending): that closed the connection on purpose.
                if (!written && !closed && current == leg) {
                    moveOn(leg, "DATA", null, Meaning.NEXT_BACKEND);
                }
                return written ? reply : null;
            });
        });
    }

    @Override
    public void bodyChunk(ByteBuf chunk) {
        if (keep(chunk.nioBuffer()) && current != null) {
            current.bodyChunk(chunk);
        }
    }

    /**
     * Keeps bytes of the body for a replay. When the spool budget is spent the message cannot be
     * kept: nothing more of it goes to the backend, whose transaction is abandoned, and the
     * client hears 452 4.3.1 after its final dot (OverloadIT).
     */
    private boolean keep(ByteBuffer bytes) {
        if (bodyNotKept) {
            return false;
        }
        if (transaction.keep(bytes)) {
            return true;
        }
        bodyNotKept = true;
        if (current != null) {
            log.backendEvent(current.backend().name(), "DATA abandoned: the spool budget is spent");
            end(current, false);
        }
        return false;
    }

    /** Also while what was kept is still being written: the client waits rather than fill the spool. */
    @Override
    public boolean isBacklogged() {
        return current != null && current.isBacklogged();
    }

    @Override
    public void whenDrained(Runnable action) {
        if (current == null) {
            action.run();
        } else {
            current.whenDrained(action);
        }
    }

    /** Closes the backend connection, never with a dot, so the backend discards what it got. */
    @Override
    public void abandonBody() {
        if (current != null) {
            log.backendEvent(current.backend().name(), "DATA abandoned, connection closed without end of data");
            end(current, false);
        }
    }

    // ---- The final dot ----

    /** The backend's 2xx becomes our 250; 4xx, 421 or a drop replays the whole transaction. */
    @Override
    public CompletableFuture<Reply> finishData() {
        if (dataAnswer != null && !dataAnswer.isDone()) {
            return dataAnswer.thenCompose(ignored -> finishData());
        }
        transaction.finishing();
        attempts.startBudget();
        if (bodyNotKept) {
            return CompletableFuture.completedFuture(Replies.OVERLOADED);
        }
        if (spoolFailure != null) {
            return CompletableFuture.completedFuture(Replies.LOCAL_ERROR);
        }
        if (dataRefusal != null) {
            return CompletableFuture.completedFuture(dataRefusal);
        }
        if (current == null || !current.isLive()) {
            return replay();
        }
        BackendLeg leg = current;
        long dot = attempts.now();
        return leg.endData(attempts.dataTimeout()).thenCompose(reply -> afterDot(leg, reply, dot));
    }

    /** MAIL, the accepted recipients and the kept body, on the next backend, and the final dot. */
    private CompletableFuture<Reply> replay() {
        return reopenWithBody().thenCompose(reply -> {
            if (reply.code() != 354) {
                return CompletableFuture.completedFuture(reply);
            }
            BackendLeg leg = current;
            long dot = attempts.now();
            return leg.endData(attempts.dataTimeout()).thenCompose(end -> afterDot(leg, end, dot));
        });
    }

    /** @param dot when the final dot went to the backend, on the attempts' clock */
    private CompletableFuture<Reply> afterDot(BackendLeg leg, Reply reply, long dot) {
        Meaning meaning = ReplyClassifier.classify(Stage.END_OF_DATA, reply);
        Backend backend = leg.backend();
        if (reply != null) {
            attempts.answeredDot(backend, dot);
        }
        switch (meaning) {
            case OK:
                attempts.answered(backend, reply);
                leg.mailClosed();
                String backendQueueId = backendQueueId(reply);
                log.delivered(backend.name(), reply, transaction.id().value(), backendQueueId, transaction.messageId());
                pool.report(backend, true, "delivered");
                return CompletableFuture.completedFuture(
                        Replies.queued(transaction.id().value(), backend.name(), backendQueueId));
            case VERDICT:
                attempts.answered(backend, reply);
                leg.mailClosed();
                return CompletableFuture.completedFuture(reply);
            case ODD:
                attempts.answered(backend, reply);
                log.backendEvent(backend.name(), "odd reply to end of data: " + reply);
                end(leg, false);
                return CompletableFuture.completedFuture(Replies.BACKEND_ODD_REPLY);
            default:
                moveOn(leg, "end of data", reply, meaning);
                return replay();
        }
    }

    // ---- The end ----

    @Override
    public void close() {
        closed = true;
        transaction.close();
        if (current != null) {
            end(current, true);
        }
    }

    /** The backend failed the transaction: marked as {@link Attempts#failed} says, and its connection dropped. */
    private void moveOn(BackendLeg leg, String stage, Reply reply, Meaning meaning) {
        attempts.failed(leg.backend(), stage, reply, meaning);
        end(leg, false);
    }

    /** @param park back to the pool for the next transaction where it can be; otherwise dropped */
    private void end(BackendLeg leg, boolean park) {
        if (park) {
            leg.release();
        } else {
            leg.abort();
        }
        if (current == leg) {
            current = null;
        }
    }

    private static String backendQueueId(Reply reply) {
        Matcher m = BACKEND_QUEUE_ID.matcher(reply.text());
        return m.find() ? m.group(1) : null;
    }

    /** A future that never fails: a backend failure becomes a null value for the classifier. */
    private static <T> CompletableFuture<T> settle(CompletableFuture<T> future) {
        return future.handle((value, error) -> error == null ? value : null);
    }

    /** Why a future that has already failed did; never waits. */
    private static String failure(CompletableFuture<?> failed) {
        try {
            failed.join();
            return "no session";
        } catch (CompletionException e) {
            return e.getCause() == null ? e.toString() : e.getCause().getMessage();
        }
    }

}
