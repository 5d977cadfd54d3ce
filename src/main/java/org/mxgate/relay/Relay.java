package org.mxgate.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mxgate.backend.Backend;
import org.mxgate.backend.BackendPool;
import org.mxgate.backend.BackendSession;
import org.mxgate.backend.ForwardedClient;
import org.mxgate.log.ProtocolLog;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.MessageBody;
import org.mxgate.mail.QueueId;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.relay.ReplyClassifier.Meaning;
import org.mxgate.relay.ReplyClassifier.Stage;

/**
 * One client transaction on a backend pool (the before-queue proxy model): the first accepted
 * recipient opens a backend session, later recipients go to the same one, and a backend that
 * pushes back or goes away hands the transaction (MAIL, accepted recipients, kept body) to the
 * next, each backend at most once, within {@code max_attempts} and the time budget.
 * 250 means a backend has it: the client's 250 is only ever built from a backend's 2xx to the
 * final dot, and no transaction is sent again after one (RelayFailoverIT).
 * Runs on its client's event loop; every future completes there.
 */
public final class Relay {

    private static final Pattern BACKEND_QUEUE_ID = Pattern.compile("queued as ([A-Za-z0-9.\\-_]+)");

    private final BackendPool pool;
    private final EventLoop loop;
    private final Spool spool;
    private final ProtocolLog log;
    private final ForwardedClient client;
    private final InetAddress source;
    private final String listener;
    private final List<MailAddress> accepted = new ArrayList<>();
    private final Set<Backend> tried = new HashSet<>();
    // The final refusal when every backend lacked an extension this transaction needs, and
    // whether any backend fell short for another reason (then a later retry may succeed).
    private Reply unsupported;
    private boolean failedOtherwise;

    private Envelope envelope;
    private int attempts;
    private long deadline;
    private BackendSession current;
    private MessageBody body;
    private QueueId queueId;
    private boolean streaming;
    private boolean closed;
    private boolean backendTransactionOpen;
    private CompletableFuture<Boolean> bodyStream;
    private CompletableFuture<Void> dataAnswer;
    private Reply dataRefusal;
    private Throwable spoolFailure;

    /**
     * @param client the real client, for pools that forward it to backends (XCLIENT)
     * @param source the listener's {@code source_address} for backend connections, or null
     * @param listener the listener's name, for the pool's admission control
     */
    public Relay(BackendPool pool, EventLoop loop, Spool spool, ProtocolLog log, ForwardedClient client,
                 InetAddress source, String listener) {
        this.pool = pool;
        this.listener = listener;
        this.client = client;
        this.source = source;
        this.loop = loop;
        this.spool = spool;
        this.log = log;
    }

    /** The backend's verdict on one more recipient, or 451 4.4.1 when no backend can take the transaction. */
    public CompletableFuture<Reply> addRecipient(Envelope transaction, MailAddress recipient) {
        envelope = transaction;
        startBudget();
        if (current == null) {
            return open(recipient);
        }
        BackendSession session = current;
        return settle(session.send("RCPT TO:" + recipient.path(), commandTimeout())).thenCompose(reply -> {
            Meaning meaning = ReplyClassifier.classify(Stage.RECIPIENT, reply);
            if (meaning == Meaning.NEXT_BACKEND) {
                failed(session, "RCPT", reply);
                return open(recipient);
            }
            return CompletableFuture.completedFuture(recipientVerdict(recipient, reply, meaning));
        });
    }

    /**
     * Opens the transaction on the next backend: MAIL, the recipients accepted so far and, when
     * given, the new one, pipelined where offered. For {@code recipient == null} a positive reply
     * means the transaction is open again.
     */
    private CompletableFuture<Reply> open(MailAddress recipient) {
        if (closed) {
            return CompletableFuture.completedFuture(Replies.RELAY_FAILED);
        }
        if (attempts == 0 && !pool.admits(listener)) {
            return CompletableFuture.completedFuture(Replies.POOL_BUSY);
        }
        Backend backend = nextBackend();
        if (backend == null) {
            // Every backend lacked what it needs: final, never a downgrade (RFC 6531 3.2, RFC 6152).
            // Any other reason is worth the client's retry.
            return CompletableFuture.completedFuture(unsupported != null && !failedOtherwise ? unsupported
                    : Replies.RELAY_FAILED);
        }
        return openOn(backend, recipient, false);
    }

    /** @param fresh a new connection even where one is parked: the parked one just proved dead */
    private CompletableFuture<Reply> openOn(Backend backend, MailAddress recipient, boolean fresh) {
        CompletableFuture<BackendSession> acquired = pool.acquire(backend, loop, client, source, fresh);
        return settle(acquired).thenCompose(session -> {
            if (closed) {
                if (session != null) {
                    session.abort();
                }
                return CompletableFuture.completedFuture(Replies.RELAY_FAILED);
            }
            if (session == null) {
                // The reason (refused greeting, no STARTTLS where TLS is required…) is what an admin needs.
                String why = "cannot open session: " + failure(acquired);
                log.backendEvent(backend.name(), why);
                pool.report(backend, false, why);
                failedOtherwise = true;
                return open(recipient);
            }
            String missing = missingExtension(session);
            if (missing != null) {
                // Unable, not unhealthy: no mark against it and no attempt used up (each backend is
                // still tried once); another backend that offers the extension takes the transaction.
                unsupported = missing.equals("SMTPUTF8") ? Replies.NO_SMTPUTF8_BACKEND : Replies.NO_8BITMIME_BACKEND;
                attempts--;
                passOver(session, "does not offer " + missing + ", which this transaction needs; trying another backend",
                        null, session.needsReset());
                return open(recipient);
            }
            use(session);
            backendTransactionOpen = true;
            log.backendEvent(backend.name(), session.tls() == null ? "transaction opened"
                    : "transaction opened over " + session.tls());
            List<String> lines = new ArrayList<>();
            boolean reset = session.needsReset();
            if (reset) {
                lines.add("RSET");
            }
            lines.add(mailCommand(session));
            accepted.forEach(r -> lines.add("RCPT TO:" + r.path()));
            if (recipient != null) {
                lines.add("RCPT TO:" + recipient.path());
            }
            long sent = System.nanoTime();
            List<CompletableFuture<Reply>> replies = session.sendAll(lines, commandTimeout());
            return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                    .handle((ignored, error) -> replies.stream().map(Relay::now).toList())
                    .thenCompose(answers -> {
                        // A parked session the backend closed meanwhile answers nothing: that is not the
                        // backend failing, so it gets a new connection, not counted as an attempt.
                        if (session.wasParked() && answers.get(0) == null && !fresh) {
                            log.backendEvent(backend.name(), "parked session was closed by the backend; reconnecting");
                            abort(session);
                            return openOn(backend, recipient, true);
                        }
                        noteSlowMail(backend, sent, answers.get(reset ? 1 : 0));
                        if (reset && (answers.get(0) == null || answers.get(0).code() != 250)) {
                            failed(session, "RSET", answers.get(0));
                            return open(recipient);
                        }
                        return opened(session, recipient, reset ? answers.subList(1, answers.size()) : answers);
                    });
        });
    }

    private CompletableFuture<Reply> opened(BackendSession session, MailAddress recipient, List<Reply> answers) {
        Reply mail = answers.get(0);
        Meaning atMail = ReplyClassifier.classify(Stage.MAIL, mail);
        // A 4xx, 421 or no reply (NEXT_BACKEND), and a reply that answers no MAIL, such as a 1xx or
        // 3xx (ODD: the backend is out of step), both count against this backend (as back pressure
        // for 421 and 4.3.x, see failed) and move the transaction on. A 5xx is the VERDICT below.
        if (atMail == Meaning.NEXT_BACKEND || atMail == Meaning.ODD) {
            failed(session, "MAIL", mail);
            return open(recipient);
        }
        if (atMail == Meaning.VERDICT) {
            // The backend refuses the sender for good: that is the answer to this recipient.
            use(null);
            pool.release(session, false);
            return CompletableFuture.completedFuture(mail);
        }
        for (int i = 0; i < accepted.size(); i++) {
            Reply replayed = answers.get(1 + i);
            Meaning meaning = ReplyClassifier.classify(Stage.REPLAYED_RECIPIENT, replayed);
            if (meaning == Meaning.NOT_HERE) {
                // The client was told 250 for it, so this backend cannot take the transaction; a
                // refused recipient says nothing about the backend's health (RelayFailoverIT).
                failedOtherwise = true;
                passOver(session, "cannot take the transaction: replayed RCPT refused: " + replayed, replayed, true);
                return open(recipient);
            }
            if (meaning != Meaning.OK) {
                failed(session, "replayed RCPT", replayed);
                return open(recipient);
            }
        }
        if (recipient == null) {
            return CompletableFuture.completedFuture(mail);
        }
        Reply reply = answers.get(answers.size() - 1);
        Meaning meaning = ReplyClassifier.classify(Stage.RECIPIENT, reply);
        if (meaning == Meaning.NEXT_BACKEND) {
            failed(session, "RCPT", reply);
            return open(recipient);
        }
        return CompletableFuture.completedFuture(recipientVerdict(recipient, reply, meaning));
    }

    private Reply recipientVerdict(MailAddress recipient, Reply reply, Meaning meaning) {
        if (meaning == Meaning.OK) {
            accepted.add(recipient);
            return reply;
        }
        return meaning == Meaning.ODD ? Replies.BACKEND_ODD_REPLY : reply;
    }

    /**
     * Sends DATA. On a live backend session the client gets its 354 at once: the body is kept
     * for a replay anyway, so it may arrive before the backend's 354, which then releases what
     * was kept so far; a refusal of DATA is answered after the final dot. This saves one backend
     * round trip per message. Without a live session the 354 waits for a backend's (a replay).
     */
    public CompletableFuture<Reply> beginData(QueueId id, String receivedHeader) {
        queueId = id;
        startBudget();
        body = spool.newBody();
        body.append(ByteBuffer.wrap(receivedHeader.getBytes(StandardCharsets.UTF_8)));
        if (current == null || !current.channel().isActive()) {
            return startData();
        }
        BackendSession session = current;
        dataAnswer = settle(session.send("DATA", commandTimeout())).thenCompose(reply -> dataAnswered(session, reply));
        return CompletableFuture.completedFuture(Replies.START_DATA);
    }

    /** The backend's answer to DATA while the client is already sending its body. */
    private CompletableFuture<Void> dataAnswered(BackendSession session, Reply reply) {
        if (closed || current != session) {
            return CompletableFuture.completedFuture(null);
        }
        Meaning meaning = ReplyClassifier.classify(Stage.DATA, reply);
        if (meaning == Meaning.OK) {
            return catchUp(session);
        }
        if (meaning == Meaning.VERDICT) {
            dataRefusal = reply;
        } else {
            failed(session, "DATA", reply);
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Reply> startData() {
        if (current == null) {
            return open(null).thenCompose(reply -> reply.isPositive() ? startData() : CompletableFuture.completedFuture(reply));
        }
        BackendSession session = current;
        return settle(session.send("DATA", commandTimeout())).thenCompose(reply -> {
            Meaning meaning = ReplyClassifier.classify(Stage.DATA, reply);
            if (closed) {
                return CompletableFuture.completedFuture(Replies.RELAY_FAILED);
            }
            if (meaning == Meaning.OK) {
                return catchUp(session).thenApply(ignored -> reply);
            }
            if (meaning == Meaning.VERDICT) {
                return CompletableFuture.completedFuture(reply);
            }
            failed(session, "DATA", reply);
            return startData();
        });
    }

    /**
     * After the backend's 354, while the client may still be sending: writes what was kept so
     * far, and from the moment it has caught up (on this event loop, so no chunk slips in
     * between) every new chunk goes straight on. If the backend is lost meanwhile, the final
     * dot finds no stream and replays.
     */
    private CompletableFuture<Void> catchUp(BackendSession session) {
        return streamBody(session).thenAccept(written -> {
            if (written && !closed && current == session) {
                streaming = true;
            }
        });
    }

    /**
     * The one way a kept body reaches a backend, for the first attempt and every replay:
     * chunk by chunk with back pressure (BodyStream). True when all of it was written; a lost
     * backend is reported as failed, an unreadable spool ends the transaction with 451 4.3.0.
     */
    private CompletableFuture<Boolean> streamBody(BackendSession session) {
        // A backend that stops reading in the middle of a body holds it no longer than it may take to answer the dot.
        ScheduledFuture<?> timer = loop.schedule(() -> {
            log.backendEvent(session.backend().name(), "took no more of the body for " + dataTimeout().toMillis() + " ms");
            session.abort();
        }, dataTimeout().toMillis(), TimeUnit.MILLISECONDS);
        bodyStream = BodyStream.write(body, session, spool.reader()).handle((written, error) -> {
            timer.cancel(false);
            if (error != null) {
                spoolFailure = error;
                abort(session);
                return false;
            }
            // Not when the body was abandoned (a bare line ending): that closed the connection on purpose.
            if (!written && !closed && current == session) {
                failed(session, "DATA", null);
            }
            return written;
        });
        return bodyStream;
    }

    private boolean isBodyInFlight() {
        return bodyStream != null && !bodyStream.isDone();
    }

    /** Keeps the chunk for a replay and streams it on while the backend session lasts. Does not release it. */
    public void bodyChunk(ByteBuf chunk) {
        body.append(chunk.nioBuffer());
        if (streaming && current != null) {
            current.writeBody(chunk.retainedDuplicate());
        }
    }

    /**
     * True while the backend takes the body slower than the client sends it, or while what was
     * kept is still being written to it: the client waits rather than fill the spool meanwhile.
     */
    public boolean isBacklogged() {
        return current != null && (isBodyInFlight() || streaming && !current.isWritable());
    }

    /** Runs the action when the backlog has drained (or the backend is gone). */
    public void whenDrained(Runnable action) {
        if (current == null) {
            action.run();
        } else if (isBodyInFlight()) {
            bodyStream.whenComplete((ignored, error) -> whenDrained(action));
        } else {
            current.whenWritable(action);
        }
    }

    /**
     * The body can no longer be relayed (a bare line ending or too big). No byte after it reaches
     * the backend: its transaction is abandoned by closing the connection, never with a dot.
     */
    public void abandonBody() {
        streaming = false;
        if (current != null) {
            log.backendEvent(current.backend().name(), "DATA abandoned, connection closed without end of data");
            current.abort();
            use(null);
        }
    }

    /** The final dot: the backend's 2xx becomes our 250; 4xx, 421 or a drop replays the whole transaction. */
    public CompletableFuture<Reply> finishData() {
        if (dataAnswer != null && !dataAnswer.isDone()) {
            return dataAnswer.thenCompose(ignored -> finishData());
        }
        startBudget();
        if (spoolFailure != null) {
            return CompletableFuture.completedFuture(Replies.LOCAL_ERROR);
        }
        if (dataRefusal != null) {
            return CompletableFuture.completedFuture(dataRefusal);
        }
        if (!streaming || current == null || !current.channel().isActive()) {
            streaming = false;
            return replay();
        }
        streaming = false;
        BackendSession session = current;
        return settle(session.endData(dataTimeout())).thenCompose(reply -> afterDot(session, reply));
    }

    private CompletableFuture<Reply> afterDot(BackendSession session, Reply reply) {
        switch (ReplyClassifier.classify(Stage.END_OF_DATA, reply)) {
            case OK:
                backendTransactionOpen = false;
                log.backendEvent(session.backend().name(), "delivered: " + reply);
                pool.report(session.backend(), true, "delivered");
                return CompletableFuture.completedFuture(
                        Replies.queued(queueId.value(), session.backend().name(), backendQueueId(reply)));
            case VERDICT:
                backendTransactionOpen = false;
                return CompletableFuture.completedFuture(reply);
            case ODD:
                log.backendEvent(session.backend().name(), "odd reply to end of data: " + reply);
                abort(session);
                return CompletableFuture.completedFuture(Replies.BACKEND_ODD_REPLY);
            default:
                failed(session, "end of data", reply);
                return replay();
        }
    }

    /** MAIL, the accepted recipients and the kept body, on the next backend. */
    private CompletableFuture<Reply> replay() {
        return open(null).thenCompose(opened -> {
            if (!opened.isPositive()) {
                return CompletableFuture.completedFuture(opened);
            }
            BackendSession session = current;
            return settle(session.send("DATA", commandTimeout())).thenCompose(reply -> {
                Meaning meaning = ReplyClassifier.classify(Stage.DATA, reply);
                if (meaning == Meaning.VERDICT) {
                    return CompletableFuture.completedFuture(reply);
                }
                if (meaning != Meaning.OK || closed) {
                    failed(session, "DATA", reply);
                    return replay();
                }
                return streamBody(session).thenCompose(written -> {
                    if (spoolFailure != null) {
                        return CompletableFuture.completedFuture(Replies.LOCAL_ERROR);
                    }
                    if (!written) {
                        return replay();
                    }
                    return settle(session.endData(dataTimeout())).thenCompose(end -> afterDot(session, end));
                });
            });
        });
    }

    /** Ends the transaction: the body is released and the backend session reset and parked, or dropped. */
    public void close() {
        closed = true;
        if (body != null) {
            body.close();
            body = null;
        }
        if (current != null) {
            if (streaming || isBodyInFlight() || !current.isReusable()) {
                current.abort();
            } else {
                pool.release(current, backendTransactionOpen);
            }
            use(null);
        }
        streaming = false;
    }

    private Backend nextBackend() {
        if (attempts >= pool.config().maxAttempts() || System.nanoTime() - deadline > 0) {
            return null;
        }
        Backend backend = pool.choose(tried);
        if (backend != null) {
            tried.add(backend);
            attempts++;
        }
        return backend;
    }

    private void failed(BackendSession session, String stage, Reply reply) {
        String what = "failed at " + stage + ": " + (reply == null ? "no reply (connection lost or timed out)" : reply.toString());
        log.backendEvent(session.backend().name(), what);
        failedOtherwise = true;
        if (isPressure(reply)) {
            pool.reportPressure(session.backend(), what);
        } else {
            pool.report(session.backend(), false, what);
        }
        abort(session);
    }

    // Back pressure (4.3.x: system resources; 421: closing) is a state of its own, not a failure.
    private static boolean isPressure(Reply reply) {
        return reply != null && (reply.code() == 421 || (reply.status() != null && reply.status().startsWith("4.3.")));
    }

    /**
     * This backend cannot take this transaction through no fault of its own: the transaction
     * moves on without a mark against its health (back pressure is still noted), and its
     * session, healthy, goes back to the pool.
     *
     * @param reply the backend's refusal, or null when it refused nothing
     * @param transactionOpen a MAIL is open on the session: its next user resets it first
     */
    private void passOver(BackendSession session, String what, Reply reply, boolean transactionOpen) {
        log.backendEvent(session.backend().name(), what);
        if (isPressure(reply)) {
            pool.reportPressure(session.backend(), what);
        }
        if (current == session) {
            use(null);
        }
        pool.release(session, transactionOpen);
    }

    /**
     * The service extension this transaction needs and the session does not offer, or null.
     * RFC 6531 3.2: nothing that needs SMTPUTF8 goes to a server that does not offer it (try
     * another host, else refuse), and RFC 6152: 8-bit data never goes to one without 8BITMIME.
     */
    private String missingExtension(BackendSession session) {
        if (envelope.smtputf8() && !session.offers("SMTPUTF8")) {
            return "SMTPUTF8";
        }
        if ("8BITMIME".equals(envelope.body()) && !session.offers("8BITMIME")) {
            return "8BITMIME";
        }
        return null;
    }

    private void abort(BackendSession session) {
        session.abort();
        if (current == session) {
            use(null);
        }
        streaming = false;
    }

    /**
     * Exchange delays its answer before it refuses under load: a MAIL FROM accepted slower than
     * {@code slow_mail_from} puts the backend under back pressure for the next transactions.
     */
    private void noteSlowMail(Backend backend, long sentNanos, Reply mail) {
        java.time.Duration limit = pool.config().slowMailFrom();
        long tookMillis = (System.nanoTime() - sentNanos) / 1_000_000;
        if (mail != null && mail.isPositive() && !limit.isZero() && tookMillis > limit.toMillis()) {
            String what = "MAIL FROM answered after " + tookMillis + " ms";
            log.backendEvent(backend.name(), what);
            pool.reportPressure(backend, what);
        }
    }

    /** The backend session of the transaction now; counted per backend for least_connections and capacity. */
    private void use(BackendSession session) {
        if (current != null) {
            current.backend().transactionEnded();
        }
        current = session;
        if (session != null) {
            session.backend().transactionStarted();
        }
    }

    private void startBudget() {
        deadline = System.nanoTime() + pool.config().timeBudget().toNanos();
    }

    private Duration remaining() {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    private Duration commandTimeout() {
        Duration limit = pool.config().commandTimeout();
        return limit.compareTo(remaining()) < 0 ? limit : remaining();
    }

    private Duration dataTimeout() {
        Duration limit = pool.config().dataTimeout();
        return limit.compareTo(remaining()) < 0 ? limit : remaining();
    }

    private String mailCommand(BackendSession session) {
        StringBuilder mail = new StringBuilder("MAIL FROM:").append(envelope.sender().path());
        if (envelope.declaredSize() >= 0 && session.offers("SIZE")) {
            mail.append(" SIZE=").append(envelope.declaredSize());
        }
        // openOn has passed over every backend that lacks what these ask for (missingExtension).
        if ("8BITMIME".equals(envelope.body())) {
            mail.append(" BODY=8BITMIME");
        }
        if (envelope.smtputf8()) {
            mail.append(" SMTPUTF8");
        }
        return mail.toString();
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

    private static Reply now(CompletableFuture<Reply> future) {
        try {
            return future.isCompletedExceptionally() ? null : future.join();
        } catch (CompletionException e) {
            return null;
        }
    }
}
