package org.mxgate.backend;

import org.mxgate.mail.Reply;

/**
 * Why a backend session could not go on: it could not be reached, it went away, it was too slow,
 * or it refused at greeting or EHLO. Carries the backend's reply when there was one.
 */
public final class BackendException extends RuntimeException {

    public enum Kind { CONNECT, LOST, TIMEOUT, REFUSED }

    private final Kind kind;
    private final Reply reply;

    public BackendException(Kind kind, String message, Reply reply) {
        super(message, null, false, false);
        this.kind = kind;
        this.reply = reply;
    }

    public Kind kind() {
        return kind;
    }

    public Reply reply() {
        return reply;
    }

    /**
     * Why an I/O failure happened, in words an admin can act on: the message of the failure and
     * of each cause (a TLS alert, a certificate check), or the kind of failure where it has none,
     * as Netty's closed-channel exceptions do. Never "null".
     */
    static String reason(Throwable failure) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            String part = t instanceof java.nio.channels.ClosedChannelException ? "connection closed"
                    : t.getMessage() != null ? Transport.reason(t.getMessage()) : t.getClass().getSimpleName();
            if (parts.stream().noneMatch(p -> p.contains(part))) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? "unknown failure" : String.join(": ", parts);
    }
}
