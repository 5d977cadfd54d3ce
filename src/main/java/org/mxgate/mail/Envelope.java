package org.mxgate.mail;

import java.util.ArrayList;
import java.util.List;

/**
 * One transaction's envelope: the sender with its MAIL parameters and the recipients accepted
 * so far. Immutable; each accepted recipient makes a new one.
 *
 * @param declaredSize the RFC 1870 SIZE the client declared, or -1
 * @param body the RFC 6152 BODY value (7BIT or 8BITMIME), or null when not given
 * @param smtputf8 the RFC 6531 SMTPUTF8 parameter was given
 * @param route the backend pool of the transaction, set by its first relayed recipient; null before
 */
public record Envelope(MailAddress sender, long declaredSize, String body, boolean smtputf8,
                       List<MailAddress> recipients, String route) {

    public Envelope {
        recipients = List.copyOf(recipients);
    }

    public Envelope(MailAddress sender, long declaredSize, String body, boolean smtputf8) {
        this(sender, declaredSize, body, smtputf8, List.of(), null);
    }

    public Envelope withRecipient(MailAddress recipient) {
        List<MailAddress> more = new ArrayList<>(recipients);
        more.add(recipient);
        return new Envelope(sender, declaredSize, body, smtputf8, more, route);
    }

    public Envelope withRoute(String pool) {
        return new Envelope(sender, declaredSize, body, smtputf8, recipients, pool);
    }
}
