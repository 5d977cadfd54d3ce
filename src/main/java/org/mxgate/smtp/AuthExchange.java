package org.mxgate.smtp;

import java.util.Optional;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;

/**
 * One SMTP AUTH exchange (RFC 4954 4) for PLAIN (RFC 4616) or LOGIN: the challenge to send
 * next, or at its end the credentials to check or the reply that ends it. Pure; never logs
 * what it holds.
 */
final class AuthExchange {

    /** What the exchange needs next. */
    sealed interface Outcome {
    }

    /** Send this 334 and read the client's next line as its response. */
    record Challenge(Reply reply) implements Outcome {
    }

    /** The exchange ended without credentials. */
    record Failed(Reply reply) implements Outcome {
    }

    /** The exchange is complete: check these. */
    record Done(SaslResponses.Credentials credentials) implements Outcome {
    }

    private final boolean plain;
    private String user;

    private AuthExchange(boolean plain) {
        this.plain = plain;
    }

    /** An exchange for this mechanism name, or none for a mechanism we do not offer. */
    static Optional<AuthExchange> of(String mechanism) {
        // RFC 4954 4: mechanism names are case-insensitive, in ASCII.
        return switch (CommandParser.asciiUpperCase(mechanism)) {
            case "PLAIN" -> Optional.of(new AuthExchange(true));
            case "LOGIN" -> Optional.of(new AuthExchange(false));
            default -> Optional.empty();
        };
    }

    /** @param initialResponse what followed the mechanism on the AUTH line, or null */
    Outcome start(String initialResponse) {
        if (initialResponse != null) {
            return respond(initialResponse);
        }
        // RFC 4954 4: PLAIN's challenge is empty; LOGIN asks for the user name first.
        return new Challenge(Reply.of(334, null, plain ? "" : SaslResponses.USERNAME_PROMPT));
    }

    Outcome respond(String response) {
        if (SaslResponses.isCancel(response)) {
            return new Failed(Replies.AUTH_ABORTED);
        }
        if (plain) {
            // RFC 4954 4: "=" is an empty response, which names nobody.
            if (SaslResponses.isEmptyResponse(response)) {
                return new Failed(Replies.AUTH_FAILED);
            }
            if (!SaslResponses.isBase64(response)) {
                return new Failed(Replies.AUTH_CANNOT_DECODE);
            }
            return SaslResponses.plain(response).<Outcome>map(Done::new).orElse(new Failed(Replies.AUTH_FAILED));
        }
        if (user == null) {
            Optional<String> name = SaslResponses.text(response).filter(u -> !u.isEmpty());
            if (name.isEmpty()) {
                return new Failed(Replies.AUTH_CANNOT_DECODE);
            }
            user = name.get();
            return new Challenge(Reply.of(334, null, SaslResponses.PASSWORD_PROMPT));
        }
        return SaslResponses.secret(response).<Outcome>map(p -> new Done(new SaslResponses.Credentials(user, p)))
                .orElse(new Failed(Replies.AUTH_CANNOT_DECODE));
    }
}
