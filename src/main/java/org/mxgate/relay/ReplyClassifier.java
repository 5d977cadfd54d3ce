package org.mxgate.relay;

import org.mxgate.mail.Reply;

/**
 * What a backend's reply means for the transaction, by stage (the design's transaction rules).
 * Pure. A lost connection or a timeout is always {@link Meaning#NEXT_BACKEND}; callers pass null.
 */
public final class ReplyClassifier {

    public enum Meaning {
        /** The stage went through (2xx, or 354 to DATA). */
        OK,
        /** The backend's word for the client: a recipient's 4xx or 5xx, a 5xx at MAIL, DATA or the dot. */
        VERDICT,
        /** Back pressure, 421, a drop or a timeout: move the transaction to the next backend. */
        NEXT_BACKEND,
        /**
         * The backend refuses what the client was already promised (a replayed recipient's 4xx or
         * 5xx): it cannot take this transaction, but that says nothing about its health, so the
         * transaction moves to the next backend without a mark against this one.
         */
        NOT_HERE,
        /**
         * A reply that makes no sense at this stage (a 1xx, or a 2xx or 3xx where none belongs),
         * so never the backend's word for the client: a recipient or the final dot gets our own
         * 451; at MAIL (and DATA) the backend is out of step, counts as failed, and the
         * transaction moves to the next one.
         */
        ODD
    }

    public enum Stage { MAIL, RECIPIENT, REPLAYED_RECIPIENT, DATA, END_OF_DATA }

    private ReplyClassifier() {
    }

    public static Meaning classify(Stage stage, Reply reply) {
        if (reply == null || reply.code() == 421) {
            return Meaning.NEXT_BACKEND;
        }
        switch (stage) {
            case MAIL:
                return reply.code() / 100 == 2 ? Meaning.OK : reply.isTransient() ? Meaning.NEXT_BACKEND
                        : reply.isPermanent() ? Meaning.VERDICT : Meaning.ODD;
            case RECIPIENT:
                return reply.code() / 100 == 2 ? Meaning.OK : reply.code() >= 400 ? Meaning.VERDICT : Meaning.ODD;
            case REPLAYED_RECIPIENT:
                // The client was told 250 for this recipient; a backend that will not take it cannot
                // take the transaction. A 4xx or 5xx about a recipient is no sign of a sick backend.
                return reply.code() / 100 == 2 ? Meaning.OK : reply.code() >= 400 ? Meaning.NOT_HERE : Meaning.NEXT_BACKEND;
            case DATA:
                return reply.code() == 354 ? Meaning.OK : reply.isPermanent() ? Meaning.VERDICT
                        : reply.isTransient() ? Meaning.NEXT_BACKEND : Meaning.ODD;
            case END_OF_DATA:
                if (reply.code() / 100 == 2) {
                    return Meaning.OK;
                }
                return reply.isTransient() ? Meaning.NEXT_BACKEND : reply.isPermanent() ? Meaning.VERDICT : Meaning.ODD;
            default:
                throw new IllegalArgumentException("stage " + stage);
        }
    }
}
