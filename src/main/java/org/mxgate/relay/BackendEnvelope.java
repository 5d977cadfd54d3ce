package org.mxgate.relay;

import org.mxgate.backend.BackendSession;
import org.mxgate.mail.Envelope;

/** What a transaction's envelope asks of a backend session: the MAIL command, and the extensions it needs. Pure. */
final class BackendEnvelope {

    private BackendEnvelope() {
    }

    /**
     * The service extension this transaction needs and the session does not offer, or null.
     * RFC 6531 3.2: nothing that needs SMTPUTF8 goes to a server that does not offer it (try
     * another host, else refuse), and RFC 6152: 8-bit data never goes to one without 8BITMIME.
     */
    static String missingExtension(Envelope envelope, BackendSession session) {
        if (envelope.smtputf8() && !session.offers("SMTPUTF8")) {
            return "SMTPUTF8";
        }
        if ("8BITMIME".equals(envelope.body()) && !session.offers("8BITMIME")) {
            return "8BITMIME";
        }
        return null;
    }

    /** The MAIL command with the client's parameters that the backend offers; missingExtension vetted the rest. */
    static String mailCommand(Envelope envelope, BackendSession session) {
        StringBuilder mail = new StringBuilder("MAIL FROM:").append(envelope.sender().path());
        if (envelope.declaredSize() >= 0 && session.offers("SIZE")) {
            mail.append(" SIZE=").append(envelope.declaredSize());
        }
        if ("8BITMIME".equals(envelope.body())) {
            mail.append(" BODY=8BITMIME");
        }
        if (envelope.smtputf8()) {
            mail.append(" SMTPUTF8");
        }
        return mail.toString();
    }
}
