package org.mxgate.relay;

import org.mxgate.mail.Reply;

/**
 * What a backend's reply means for the transaction, by stage (the design's transaction rules).
 * The one place that reads a backend's reply code; pure. A lost connection or a timeout is
 * always {@link Meaning#NEXT_BACKEND}; callers pass null for it.
 */
public final class ReplyClassifier {

    public enum Meaning {
        /** The stage went through (2xx, or 354 to DATA). */
        OK,
        /** The backend's word for the client: a recipient's 4xx or 5xx, a 5xx at MAIL, DATA or the dot. */
        VERDICT,
        /**
         * The backend failed this transaction (a 4xx, a drop, a timeout, or a reply out of step
         * with the dialogue): a mark against its health, and the transaction moves on.
         */
        NEXT_BACKEND,
        /**
         * Back pressure: 421 (closing) or 4.3.x (system resources, as Exchange says it). A state
         * of its own for the backend rather than a failure, and the transaction moves on.
         */
        PRESSURE,
        /**
         * The backend refuses what the client was already promised (a replayed recipient's 4xx or
         * 5xx): it cannot take this transaction, but that says nothing about its health, so the
         * transaction moves to the next backend without a mark against this one.
         */
        NOT_HERE,
        /**
         * A reply that makes no sense at this stage (a 1xx, or a 2xx or 3xx where none belongs)
         * to a recipient or to the final dot: never the backend's word for the client, who gets
         * our own 451.
         */
        ODD
    }

    /** RESET is the RSET a reused backend session gets before its next transaction. */
    public enum Stage { RESET, MAIL, RECIPIENT, REPLAYED_RECIPIENT, DATA, END_OF_DATA }

    private ReplyClassifier() {
    }

    public static Meaning classify(Stage stage, Reply reply) {
        if (reply == null) {
            return Meaning.NEXT_BACKEND;
        }
        if (reply.code() == 421) {
            return Meaning.PRESSURE;
        }
        int kind = reply.code() / 100;
        switch (stage) {
            case RESET:
                return reply.code() == 250 ? Meaning.OK : failure(reply);
            case MAIL:
                return kind == 2 ? Meaning.OK : kind == 5 ? Meaning.VERDICT : failure(reply);
            case RECIPIENT:
                return kind == 2 ? Meaning.OK : kind == 4 || kind == 5 ? Meaning.VERDICT : Meaning.ODD;
            case REPLAYED_RECIPIENT:
                // The client was told 250 for this recipient; a backend that will not take it cannot
                // take the transaction. A 4xx or 5xx about a recipient is no sign of a sick backend.
                return kind == 2 ? Meaning.OK : kind == 4 || kind == 5 ? Meaning.NOT_HERE : Meaning.NEXT_BACKEND;
            case DATA:
                return reply.code() == 354 ? Meaning.OK : kind == 5 ? Meaning.VERDICT : failure(reply);
            case END_OF_DATA:
                return kind == 2 ? Meaning.OK : kind == 5 ? Meaning.VERDICT : kind == 4 ? failure(reply) : Meaning.ODD;
            default:
                throw new IllegalArgumentException("stage " + stage);
        }
    }

    /** Back pressure for the backend's state: 421, or an enhanced status 4.3.x. */
    public static boolean isPressure(Reply reply) {
        return reply != null && (reply.code() == 421 || (reply.status() != null && reply.status().startsWith("4.3.")));
    }

    /** A 4xx, or a reply out of step with the dialogue (a 1xx, 2xx or 3xx where none belongs). */
    private static Meaning failure(Reply reply) {
        return isPressure(reply) ? Meaning.PRESSURE : Meaning.NEXT_BACKEND;
    }
}
