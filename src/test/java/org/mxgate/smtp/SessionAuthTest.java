package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxgate.auth.AuthResult;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;

/**
 * SessionAuth without a session: the exchange from the AUTH argument to the login check, which
 * line is SASL and which is a command again, and what each check result means. The refusals
 * it returns are counted by the session (SmtpSessionTlsAuthTest).
 */
class SessionAuthTest {

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "PLAIN a b", "LOGIN a "})
    void badArgumentIsASyntaxError(String argument) {
        SessionAuth auth = new SessionAuth();
        assertEquals(Checked.refused(Replies.SYNTAX), auth.start(argument));
        assertFalse(auth.inExchange());
    }

    // "pla\u0131n" was PLAIN to toUpperCase; mechanism names are ASCII (AuthExchangeFuzzTest).
    @ParameterizedTest
    @ValueSource(strings = {"CRAM-MD5", "pla\u0131n", "LOG\u0130N"})
    void unknownMechanism(String mechanism) {
        SessionAuth auth = new SessionAuth();
        assertEquals(Checked.refused(Replies.UNKNOWN_MECHANISM), auth.start(mechanism));
        assertFalse(auth.inExchange());
    }

    @Test
    void loginExchangeEndsInACheckAndTheAcceptedLogin() {
        SessionAuth auth = new SessionAuth();
        assertEquals(Checked.of(Step.reply(Reply.of(334, null, "VXNlcm5hbWU6"))), auth.start("login"));
        assertTrue(auth.inExchange());
        assertEquals(Checked.of(Step.reply(Reply.of(334, null, "UGFzc3dvcmQ6"))), auth.respond(b64("bob")));
        Effect.Authenticate check = assertInstanceOf(Effect.Authenticate.class, auth.respond(b64("pw")).value().effect());
        assertEquals("bob", check.login());
        assertArrayEquals("pw".toCharArray(), check.password());
        assertFalse(auth.inExchange(), "the check runs outside the exchange");
        assertNull(auth.login());
        assertEquals(Checked.of(Replies.AUTH_SUCCEEDED), auth.onResult(AuthResult.ACCEPTED));
        assertEquals("bob", auth.login());
    }

    @Test
    void plainWithInitialResponseGoesStraightToTheCheck() {
        SessionAuth auth = new SessionAuth();
        Step step = auth.start("PLAIN " + b64("\0alice\0pw")).value();
        assertEquals("alice", assertInstanceOf(Effect.Authenticate.class, step.effect()).login());
        assertFalse(auth.inExchange());
    }

    @Test
    void failedExchangeIsARefusalAndEndsIt() {
        SessionAuth auth = new SessionAuth();
        auth.start("PLAIN");
        assertEquals(Checked.refused(Replies.AUTH_CANNOT_DECODE), auth.respond("not base64!"));
        assertFalse(auth.inExchange());
        auth.start("LOGIN");
        assertEquals(Checked.refused(Replies.AUTH_ABORTED), auth.respond("*"));
        assertFalse(auth.inExchange());
    }

    @Test
    void onlyAnAcceptedCheckLogsIn() {
        SessionAuth auth = new SessionAuth();
        auth.start("PLAIN " + b64("\0alice\0pw"));
        assertEquals(Checked.refused(Replies.AUTH_FAILED), auth.onResult(AuthResult.REJECTED));
        auth.start("PLAIN " + b64("\0alice\0pw"));
        assertEquals(Checked.of(Replies.AUTH_UNAVAILABLE), auth.onResult(AuthResult.UNAVAILABLE));
        auth.start("PLAIN " + b64("\0alice\0pw"));
        assertEquals(Checked.of(Replies.AUTH_BLOCKED), auth.onResult(AuthResult.BLOCKED));
        assertNull(auth.login());
    }

    @Test
    void endingTheExchangeOrStartingTlsLeavesNoLineToBeReadAsSasl() {
        SessionAuth auth = new SessionAuth();
        auth.start("LOGIN");
        auth.endExchange();
        assertFalse(auth.inExchange());
        auth.start("PLAIN " + b64("\0alice\0pw"));
        auth.onResult(AuthResult.ACCEPTED);
        auth.start("LOGIN");
        auth.forget();
        assertFalse(auth.inExchange());
        assertNull(auth.login(), "RFC 3207 4.2: no login carries over into TLS");
    }
}
