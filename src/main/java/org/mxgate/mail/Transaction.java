package org.mxgate.mail;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One mail transaction, from an accepted MAIL to its end: the envelope (sender, parameters,
 * route, and the recipients a backend accepted), our queue id, the body kept for a replay, and
 * how far it has got. The session and the relay work on this one object and keep no copy of
 * any of it. Not thread-safe: the client's event loop owns it; {@link #close()} releases the body.
 */
public final class Transaction implements AutoCloseable {

    /** RECIPIENTS from MAIL until DATA; BODY while the client sends the message; FINISHING after its final dot. */
    public enum Phase { RECIPIENTS, BODY, FINISHING }

    private final QueueId id;
    private Envelope envelope;
    private MessageBody body;
    private Phase phase = Phase.RECIPIENTS;
    private int refusedRecipients;
    private final MessageIdScanner messageId = new MessageIdScanner();

    public Transaction(Envelope envelope, QueueId id) {
        this.envelope = envelope;
        this.id = id;
    }

    public QueueId id() {
        return id;
    }

    public Envelope envelope() {
        return envelope;
    }

    /** The recipients a backend accepted, in order: what a replay sends again. */
    public List<MailAddress> recipients() {
        return envelope.recipients();
    }

    /** The pool of the transaction, set by its first relayed recipient; null before. */
    public String route() {
        return envelope.route();
    }

    public void routeTo(String pool) {
        if (envelope.route() == null) {
            envelope = envelope.withRoute(pool);
        }
    }

    /** A backend took this recipient: the client was told so, and every replay sends it again. */
    public void accepted(MailAddress recipient) {
        envelope = envelope.withRecipient(recipient);
    }

    public void refused() {
        refusedRecipients++;
    }

    /** Recipients refused by policy or backend; DATA without any accepted says why there are none. */
    public int refusedRecipients() {
        return refusedRecipients;
    }

    public Phase phase() {
        return phase;
    }

    /** The message body from here on: kept in {@code body} (our Received header first). */
    public void receiveBody(MessageBody body) {
        this.body = body;
        phase = Phase.BODY;
    }

    /**
     * Keeps these bytes of the content (positions of {@code bytes} unchanged by the scan) and
     * notes its Message-ID on the way; false when the spool budget cannot keep them.
     */
    public boolean keep(ByteBuffer bytes) {
        messageId.scan(bytes);
        return body.append(bytes);
    }

    /** The content's Message-ID header, or null when it has none (so far). */
    public String messageId() {
        return messageId.messageId();
    }

    /** The body kept so far, or null before DATA. */
    public MessageBody body() {
        return body;
    }

    public void finishing() {
        phase = Phase.FINISHING;
    }

    @Override
    public void close() {
        if (body != null) {
            body.close();
            body = null;
        }
    }
}
