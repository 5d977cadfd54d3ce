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
}
