package org.mxgate.smtp;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;

/**
 * The ESMTP parameters of one MAIL command: only those we offer, each with a valid value. Pure;
 * the declared size is compared with the policy's limit by the caller, and an AUTH= value is
 * checked and dropped, never kept.
 *
 * @param size the RFC 1870 SIZE the client declared, or -1
 * @param body the RFC 6152 BODY value in upper case (7BIT or 8BITMIME), or null when not given
 * @param smtputf8 the RFC 6531 SMTPUTF8 parameter was given
 */
record MailParameters(long size, String body, boolean smtputf8) {

    private static final Set<String> BODY_VALUES = Set.of("7BIT", "8BITMIME");

    /**
     * RFC 5321 4.1.1.11: only the MAIL parameters we offer, each with a valid value; the first
     * refusal met, or the values.
     *
     * @param parameters keys in upper case, as {@link PathArgument} holds them
     * @param authOffered whether this session is offered AUTH, which makes AUTH= a parameter we know
     */
    static Checked<MailParameters> parse(Map<String, String> parameters, boolean authOffered) {
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            Optional<Reply> refusal = refusal(p.getKey(), p.getValue(), authOffered);
            if (refusal.isPresent()) {
                return Checked.refused(refusal.get());
            }
        }
        long size = parameters.containsKey("SIZE") ? Long.parseLong(parameters.get("SIZE")) : -1;
        String body = parameters.containsKey("BODY") ? CommandParser.asciiUpperCase(parameters.get("BODY")) : null;
        return Checked.of(new MailParameters(size, body, parameters.containsKey("SMTPUTF8")));
    }

    private static Optional<Reply> refusal(String key, String value, boolean authOffered) {
        return switch (key) {
            // RFC 1870 6: size-value is 1*20DIGIT; past 18 digits it would not fit a long, and is refused.
            case "SIZE" -> syntaxUnless(value.matches("\\d{1,18}"));
            // RFC 6152 2: 7BIT or 8BITMIME.
            case "BODY" -> syntaxUnless(BODY_VALUES.contains(CommandParser.asciiUpperCase(value)));
            // RFC 6531 3.4: the parameter takes no value.
            case "SMTPUTF8" -> syntaxUnless(value.isEmpty());
            // RFC 4954 5: where AUTH is offered, AUTH=<> or AUTH=<xtext mailbox> is taken
            // from any client, logged in or not; elsewhere it is an unknown parameter.
            // The value is parsed and dropped: mxgate never logs in to a backend, and it
            // names the client's login to backends with XCLIENT LOGIN=, so RFC 4954 5's
            // "treat every client as insufficiently trusted" applies.
            case "AUTH" -> authOffered ? syntaxUnless(isAuthValue(value)) : Optional.of(Replies.UNKNOWN_PARAMETER);
            default -> Optional.of(Replies.UNKNOWN_PARAMETER);
        };
    }

    private static Optional<Reply> syntaxUnless(boolean valid) {
        return valid ? Optional.empty() : Optional.of(Replies.SYNTAX);
    }

    // RFC 4954 5: "<>", or a mailbox encoded as xtext (RFC 3461 4).
    private static boolean isAuthValue(String value) {
        Optional<String> decoded = CommandParser.decodeXtext(value);
        return decoded.isPresent()
                && (decoded.get().equals("<>") || MailAddress.parseMailbox(decoded.get()).isPresent());
    }
}
