package org.mxgate.log;

import io.netty.util.concurrent.EventExecutor;
import java.time.Instant;
import org.mxgate.mail.Reply;
import org.mxgate.net.ClientAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol log of one session: one JSON line per SMTP event (command, reply, backend event)
 * with the gateway instance, listener, session id, real client address, balancer address and
 * backend, on the {@code mxgate.protocol} logger. Message content is never logged. Each line
 * keeps its own time stamp and goes out with the other lines its event loop logs in the same
 * pass ({@link ProtocolLogBatch}): one logging event per pass of the loop, not per line.
 * What one session can make us log is bounded, so no client fills the disk through it: a
 * command that repeats the one before with the same reply (a NOOP flood) is counted, not
 * logged, and summed up in one {@code repeated} line; past {@link #MAX_LINES} lines a session's
 * further lines are counted and summed up at its end (ProtocolLogTest).
 * Not thread-safe: the session's event loop owns it.
 */
public final class ProtocolLog {

    private static final Logger LOG = LoggerFactory.getLogger("mxgate.protocol");

    /** Lines one session may log; at about 300 bytes a line, 3 MB. */
    static final int MAX_LINES = 10_000;

    private final SessionId session;
    /** The fields after the event that every line of the session has, quoted once: none of them changes. */
    private final String sessionFields;
    private final ProtocolLogBatch batch;
    private String backend;
    private String lastCommand;
    private String lastReply;
    private String heldCommand;
    private long repeats;
    private int lines;
    private long dropped;

    /** The log of a session on {@code loop}; create it on the loop's own thread. */
    public ProtocolLog(String listener, SessionId session, ClientAddress client, EventExecutor loop) {
        this(listener, session, client, ProtocolLogBatch.of(loop));
    }

    /** A log whose lines are written as each is done, for a session logged off any event loop. */
    public ProtocolLog(String listener, SessionId session, ClientAddress client) {
        this(listener, session, client, ProtocolLogBatch.unbatched());
    }

    private ProtocolLog(String listener, SessionId session, ClientAddress client, ProtocolLogBatch batch) {
        this.session = session;
        this.batch = batch;
        // Which instance wrote it: merged logs of several instances stay apart (docs/operations.md).
        StringBuilder fields = new StringBuilder(120).append(",\"instance\":\"").append(session.instance())
                .append("\",\"listener\":");
        string(fields, listener).append(",\"session\":\"").append(session).append("\",\"client\":");
        string(fields, client.ip());
        if (client.balancer() != null) {
            fields.append(",\"balancer\":");
            string(fields, client.balancerIp());
        }
        this.sessionFields = fields.toString();
    }

    public SessionId session() {
        return session;
    }

    public void backend(String name) {
        this.backend = name;
    }

    public void connect() {
        write("connect", null, null);
    }

    public void disconnect() {
        endRepeats();
        if (dropped > 0) {
            lines = 0;
            write("budget", "detail", dropped + " more lines not logged: a session logs at most " + MAX_LINES);
        }
        lines = 0;
        write("disconnect", null, null);
    }

    public void command(String line) {
        if (line.equals(lastCommand) && heldCommand == null) {
            // Logged only if its reply differs from the last one's.
            heldCommand = line;
            return;
        }
        endRepeats();
        lastCommand = line;
        write("command", "command", line);
    }

    public void reply(Reply reply) {
        String text = reply.toString();
        if (heldCommand != null && text.equals(lastReply)) {
            heldCommand = null;
            repeats++;
            return;
        }
        endRepeats();
        lastReply = text;
        write("reply", "reply", text);
    }

    /** The TLS protocol and cipher once a handshake completed, or why it failed. */
    public void tls(String detail) {
        endRepeats();
        write("tls", "detail", detail);
    }

    /** A login attempt: the user name and the outcome, never a password. */
    public void auth(String login, String outcome) {
        endRepeats();
        write("auth", "detail", login + " " + outcome);
    }

    public void backendEvent(String backendName, String event) {
        endRepeats();
        backend = backendName;
        write("backend", "detail", event);
    }

    /**
     * A backend took the message: our queue id, the backend's (from its 250, when it names one)
     * and the message's Message-ID, each a field of its own, so one jq filter follows a message
     * from the id its sender sees to the backend's own log (docs/operations.md).
     */
    public void delivered(String backendName, Reply reply, String queueId, String backendQueueId, String messageId) {
        endRepeats();
        backend = backendName;
        StringBuilder json = begin("delivered");
        if (json != null) {
            field(json, "queue_id", queueId);
            field(json, "backend_queue_id", backendQueueId);
            field(json, "message_id", messageId);
            field(json, "detail", "delivered: " + reply);
            end(json);
        }
    }

    /** What repeated goes into the log as one line, and a command still waiting for its reply as itself. */
    private void endRepeats() {
        if (repeats > 0) {
            write("repeated", "detail", "the command and reply above, " + repeats + " more times");
            repeats = 0;
        }
        if (heldCommand != null) {
            String line = heldCommand;
            heldCommand = null;
            lastReply = null;
            write("command", "command", line);
        }
    }

    private void write(String event, String key, String value) {
        StringBuilder json = begin(event);
        if (json != null) {
            if (key != null) {
                field(json, key, value);
            }
            end(json);
        }
    }

    /**
     * A line with the fields every event has, begun at the end of the batch's lines, or null when
     * it is not to be logged; {@link #end} closes it.
     */
    private StringBuilder begin(String event) {
        if (!LOG.isInfoEnabled()) {
            return null;
        }
        if (lines >= MAX_LINES) {
            dropped++;
            return null;
        }
        lines++;
        StringBuilder json = batch.nextLine();
        LogTime.append(json.append("{\"ts\":\""), Instant.now()).append("\",\"event\":\"").append(event).append('"')
                .append(sessionFields);
        if (backend != null) {
            json.append(",\"backend\":");
            string(json, backend);
        }
        return json;
    }

    private static void field(StringBuilder json, String key, String value) {
        if (value != null) {
            json.append(",\"").append(key).append("\":");
            string(json, value);
        }
    }

    private void end(StringBuilder json) {
        json.append('}');
        batch.lineDone();
    }

    private static StringBuilder string(StringBuilder out, String s) {
        return JsonText.quote(out, s, false);
    }
}
