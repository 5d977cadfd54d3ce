package org.mxgate.smtp;

import java.util.Optional;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Replies;

/**
 * The arguments of MAIL FROM and RCPT TO checked, in the order the replies depend on, into the
 * envelope a transaction opens with or the recipient it adds; else the reply that refuses them.
 * Pure: what the policy says about the sender or recipient is decided after, by the session.
 */
final class EnvelopeParser {

    private EnvelopeParser() {
    }

    /**
     * @param isUtf8 false when the line's bytes were not UTF-8: then it is refused, whatever else it says
     * @param authOffered whether the session is offered AUTH, so AUTH= is a parameter we know
     */
    static Checked<Envelope> mailFrom(String argument, boolean isUtf8, boolean authOffered, long maxMessageSize) {
        Optional<PathArgument> parsed = CommandParser.parsePathArgument(argument, "FROM");
        if (parsed.isEmpty()) {
            return Checked.refused(Replies.MAIL_SYNTAX);
        }
        Optional<MailAddress> sender = MailAddress.parsePath(parsed.get().path());
        if (sender.isEmpty() || sender.get().isBarePostmaster()) {
            return Checked.refused(Replies.BAD_SENDER);
        }
        Checked<MailParameters> params = MailParameters.parse(parsed.get().parameters(), authOffered);
        if (params.isRefused()) {
            return Checked.refused(params.refusal());
        }
        MailParameters p = params.value();
        // RFC 1870 6.1: a declared size over our limit is refused at MAIL.
        if (p.size() > maxMessageSize) {
            return Checked.refused(Replies.MESSAGE_TOO_BIG);
        }
        // RFC 6531 3.4: a non-ASCII address needs the SMTPUTF8 parameter.
        if (!p.smtputf8() && !sender.get().isAscii()) {
            return Checked.refused(Replies.NEEDS_SMTPUTF8);
        }
        // RFC 6531 3.3: under SMTPUTF8 the address is UTF-8. Other bytes are refused, so no
        // backend ever sees an address with a byte replaced (CommandLineIT).
        if (!isUtf8) {
            return Checked.refused(Replies.BAD_UTF8);
        }
        return Checked.of(new Envelope(sender.get(), p.size(), p.body(), p.smtputf8()));
    }

    /**
     * @param isUtf8 false when the line's bytes were not UTF-8: then it is refused, whatever else it says
     * @param smtputf8 whether the transaction's MAIL carried SMTPUTF8
     */
    static Checked<MailAddress> rcptTo(String argument, boolean isUtf8, boolean smtputf8) {
        Optional<PathArgument> parsed = CommandParser.parsePathArgument(argument, "TO");
        if (parsed.isEmpty()) {
            return Checked.refused(Replies.RCPT_SYNTAX);
        }
        if (!parsed.get().parameters().isEmpty()) {
            return Checked.refused(Replies.UNKNOWN_PARAMETER);
        }
        Optional<MailAddress> recipient = MailAddress.parsePath(parsed.get().path());
        if (recipient.isEmpty() || recipient.get().isNullSender()) {
            return Checked.refused(Replies.BAD_RECIPIENT);
        }
        // As at MAIL, a non-ASCII address needs the transaction to have SMTPUTF8.
        if (!smtputf8 && !recipient.get().isAscii()) {
            return Checked.refused(Replies.NEEDS_SMTPUTF8);
        }
        // RFC 6531 3.3: as at MAIL, bytes that are not UTF-8 never reach a backend.
        if (!isUtf8) {
            return Checked.refused(Replies.BAD_UTF8);
        }
        return Checked.of(recipient.get());
    }
}
