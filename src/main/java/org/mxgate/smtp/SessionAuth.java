package org.mxgate.smtp;

import java.util.Optional;
import org.mxgate.auth.AuthResult;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;

/**
 * The AUTH part of one session (RFC 4954): the exchange reading the client's responses, the
 * login whose check is running, and the login once accepted. The preconditions that need the
 * rest of the session (HELO, TLS, a transaction) stay with {@link SmtpSession}, which also
 * counts the refusals and closes. Never keeps or logs a password: it leaves in one
 * {@link Effect.Authenticate} and nowhere else.
 */
final class SessionAuth {

    private AuthExchange exchange;
    private String pendingLogin;
    private String login;

    /** The login this session authenticated as, or null. */
    String login() {
        return login;
    }

    /** True while an exchange waits for the client's response: the next line is SASL, not a command. */
    boolean inExchange() {
        return exchange != null;
    }

    /** The AUTH command's argument, {@code mechanism [initial-response]}, once the session allows AUTH. */
    Checked<Step> start(String argument) {
        String[] words = argument.split(" ", -1);
        if (argument.isEmpty() || words.length > 2) {
            return Checked.refused(Replies.SYNTAX);
        }
        Optional<AuthExchange> started = AuthExchange.of(words[0]);
        if (started.isEmpty()) {
            return Checked.refused(Replies.UNKNOWN_MECHANISM);
        }
        exchange = started.get();
        return next(exchange.start(words.length == 2 ? words[1] : null));
    }

    /** The client's line while an exchange runs. */
    Checked<Step> respond(String line) {
        return next(exchange.respond(line));
    }

    /** A challenge keeps the exchange going; its end is a login check or an error reply. */
    private Checked<Step> next(AuthExchange.Outcome outcome) {
        if (outcome instanceof AuthExchange.Challenge challenge) {
            return Checked.of(Step.reply(challenge.reply()));
        }
        exchange = null;
        if (outcome instanceof AuthExchange.Done done) {
            pendingLogin = done.credentials().login();
            return Checked.of(Step.effect(new Effect.Authenticate(pendingLogin, done.credentials().password())));
        }
        return Checked.refused(((AuthExchange.Failed) outcome).reply());
    }

    /** What the login check said, as the reply; a refusal counts as an error. BLOCKED's reply closes the session. */
    Checked<Reply> onResult(AuthResult result) {
        String attempted = pendingLogin;
        pendingLogin = null;
        switch (result) {
            case ACCEPTED:
                login = attempted;
                return Checked.of(Replies.AUTH_SUCCEEDED);
            case BLOCKED:
                return Checked.of(Replies.AUTH_BLOCKED);
            case UNAVAILABLE:
                return Checked.of(Replies.AUTH_UNAVAILABLE);
            default:
                return Checked.refused(Replies.AUTH_FAILED);
        }
    }

    /** The exchange is over without a result (an over-long line); the next line is a command again. */
    void endExchange() {
        exchange = null;
    }

    /** RFC 3207 4.2: nothing learnt before TLS carries over, neither a login nor a running exchange. */
    void forget() {
        login = null;
        exchange = null;
    }
}
