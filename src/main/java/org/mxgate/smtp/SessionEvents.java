package org.mxgate.smtp;

import org.mxgate.mail.Refusal;

/**
 * What a session tells whoever counts (the listener's metrics): each command, each message a
 * backend took, each refusal with its reason, each limit the client ran into. Called on the
 * session's thread for every command, so an implementation only counts: it never blocks,
 * locks or looks anything up by name.
 */
public interface SessionEvents {

    /** Counts nothing: for sessions built without metrics (tests, tools). */
    SessionEvents NONE = new SessionEvents() {
        @Override
        public void command(Verb verb) {
        }

        @Override
        public void accepted() {
        }

        @Override
        public void refused(Refusal reason) {
        }

        @Override
        public void limitHit(String limit) {
        }
    };

    /** A command line, parsed; not the lines of an AUTH exchange, which are responses. */
    void command(Verb verb);

    /** The client got a backend's 250 for its message. */
    void accepted();

    /** A connection, a sender, a recipient or a message was refused (not a protocol error such as 503). */
    void refused(Refusal reason);

    /** @param limit the key that set the limit that stopped the client, such as {@code limits.max_errors} */
    void limitHit(String limit);
}
