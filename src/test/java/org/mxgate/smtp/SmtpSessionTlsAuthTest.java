package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxgate.auth.AuthResult;
import org.mxgate.config.AccessConfig;
import org.mxgate.config.LimitsConfig;
import org.mxgate.config.ListenerConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.config.UsersConfig;
import org.mxgate.limits.ClientLimits;
import org.mxgate.limits.LocalCounters;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.net.ClientAddress;
import org.mxgate.net.NetworkSet;
import org.mxgate.policy.Policy;

/**
 * STARTTLS and AUTH as session states: what EHLO offers before and after TLS, the resets RFC
 * 3207 asks for, the PLAIN and LOGIN exchanges, the replies to each login outcome, and what
 * the protocol log may see of an AUTH line.
 */
class SmtpSessionTlsAuthTest {

    private static final String HOST = "mx.example.test";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-02T10:00:00Z"), ZoneOffset.UTC);

    private static Policy policy(boolean plaintextOnLoopback, boolean requireTls) {
        return new Policy(new PolicyConfig("submission", Path.of("submission.yml"), List.of("example.test"),
                NetworkSet.EMPTY, Map.of("*", "mailbox"), new LimitsConfig(1000, 10, 10, Duration.ofMinutes(5)), false,
                AccessConfig.NONE, PolicyConfig.Dnsbl.OFF,
                new PolicyConfig.Auth(true, plaintextOnLoopback, false, true, UsersConfig.NONE), requireTls));
    }

    private static SmtpSession session(String ip, Policy policy, ListenerConfig.Tls tls) {
        return new SmtpSession(HOST, "submission", () -> policy, ClientAddress.direct(new InetSocketAddress(ip, 40000)),
                CLOCK, tls, new ClientLimits(new LocalCounters(), HOST, 0).forListener("submission"));
    }

    private static SmtpSession starttls() {
        return session("203.0.113.7", policy(false, false), ListenerConfig.Tls.STARTTLS);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> keywords(Step ehlo) {
        return ehlo.replies().get(0).lines();
    }

    @Test
    void beforeTlsStartTlsIsOfferedAndAuthIsNot() {
        SmtpSession s = starttls();
        List<String> offered = keywords(s.handle("EHLO c.test"));
        assertTrue(offered.contains("STARTTLS"), offered.toString());
        assertTrue(offered.stream().noneMatch(k -> k.startsWith("AUTH")), offered.toString());
        assertEquals(List.of(Replies.TLS_REQUIRED), s.handle("AUTH PLAIN " + b64("\0a\0b")).replies());
    }

    @Test
    void startTlsAsksForTheHandshakeAndForgetsTheHeloName() {
        SmtpSession s = starttls();
        s.handle("EHLO c.test");
        Step step = s.handle("STARTTLS");
        assertEquals(List.of(Replies.READY_FOR_TLS), step.replies());
        assertInstanceOf(Effect.StartTls.class, step.effect());
        s.onTlsEstablished("TLSv1.3 with cipher TLS_AES_128_GCM_SHA256");
        assertNull(s.helo());
        assertEquals(List.of(Replies.NEED_HELO), s.handle("MAIL FROM:<a@example.test>").replies());
        List<String> offered = keywords(s.handle("EHLO c.test"));
        assertTrue(offered.contains("AUTH PLAIN LOGIN"), offered.toString());
        assertTrue(!offered.contains("STARTTLS"), offered.toString());
        assertEquals(List.of(Replies.TLS_ALREADY_ACTIVE), s.handle("STARTTLS").replies());
    }

    @Test
    void startTlsIsRefusedWithAnArgumentOrInATransaction() {
        SmtpSession s = starttls();
        s.handle("EHLO c.test");
        assertEquals(List.of(Replies.SYNTAX), s.handle("STARTTLS now").replies());
        s.handle("MAIL FROM:<a@example.test>");
        assertEquals(List.of(Replies.IN_TRANSACTION), s.handle("STARTTLS").replies());
    }

    @Test
    void noStartTlsOnAListenerWithoutTls() {
        SmtpSession s = session("127.0.0.1", policy(true, false), ListenerConfig.Tls.NONE);
        List<String> offered = keywords(s.handle("EHLO c.test"));
        assertTrue(!offered.contains("STARTTLS"), offered.toString());
        assertEquals(List.of(Replies.NOT_IMPLEMENTED), s.handle("STARTTLS").replies());
    }

    @Test
    void plaintextAuthOnlyForLoopbackWhereThePolicySaysSo() {
        SmtpSession loopback = session("127.0.0.1", policy(true, false), ListenerConfig.Tls.STARTTLS);
        assertTrue(keywords(loopback.handle("EHLO c.test")).contains("AUTH PLAIN LOGIN"));
        SmtpSession remote = session("198.51.100.1", policy(true, false), ListenerConfig.Tls.STARTTLS);
        assertTrue(keywords(remote.handle("EHLO c.test")).stream().noneMatch(k -> k.startsWith("AUTH")));
    }

    private static SmtpSession encrypted() {
        SmtpSession s = starttls();
        s.onTlsEstablished("TLSv1.3 with cipher TLS_AES_128_GCM_SHA256");
        s.handle("EHLO c.test");
        return s;
    }

    @Test
    void plainWithInitialResponseAsksForTheCheck() {
        SmtpSession s = encrypted();
        assertEquals("AUTH PLAIN (initial response not logged)", s.loggable("AUTH PLAIN " + b64("\0alice\0pw")));
        Step step = s.handle("AUTH PLAIN " + b64("\0alice\0pw"));
        Effect.Authenticate check = assertInstanceOf(Effect.Authenticate.class, step.effect());
        assertEquals("alice", check.login());
        assertArrayEquals("pw".toCharArray(), check.password());
        assertEquals(List.of(Replies.AUTH_SUCCEEDED), s.onAuthResult(AuthResult.ACCEPTED).replies());
        assertEquals("alice", s.login());
        assertEquals(List.of(Replies.ALREADY_AUTHENTICATED), s.handle("AUTH PLAIN " + b64("\0alice\0pw")).replies());
    }

    @Test
    void anAuthArgumentThatIsNoMechanismNameIsNotLogged() {
        SmtpSession s = encrypted();
        assertEquals("AUTH LOGIN", s.loggable("AUTH LOGIN"));
        assertEquals("auth plain", s.loggable("auth plain"));
        assertEquals("AUTH CRAM-MD5", s.loggable("AUTH CRAM-MD5"));
        assertEquals("AUTH (argument not logged)", s.loggable("AUTH " + b64("\0alice\0pw")));
        assertEquals("AUTH (argument not logged)", s.loggable("AUTH " + "A".repeat(5000)));
    }

    @Test
    void plainWithoutInitialResponseGetsAnEmptyChallenge() {
        SmtpSession s = encrypted();
        assertEquals(List.of(new Reply(334, null, List.of(""))), s.handle("AUTH PLAIN").replies());
        assertEquals("(AUTH response not logged)", s.loggable(b64("\0alice\0pw")));
        assertInstanceOf(Effect.Authenticate.class, s.handle(b64("\0alice\0pw")).effect());
    }

    @Test
    void loginAsksForUserThenPassword() {
        SmtpSession s = encrypted();
        assertEquals(List.of(Reply.of(334, null, "VXNlcm5hbWU6")), s.handle("AUTH LOGIN").replies());
        assertEquals(List.of(Reply.of(334, null, "UGFzc3dvcmQ6")), s.handle(b64("bob")).replies());
        Effect.Authenticate check = assertInstanceOf(Effect.Authenticate.class, s.handle(b64("pw")).effect());
        assertEquals("bob", check.login());
        assertEquals(List.of(Replies.AUTH_FAILED), s.onAuthResult(AuthResult.REJECTED).replies());
        assertNull(s.login());
        // The next line is a command again.
        assertEquals(List.of(Replies.OK), s.handle("NOOP").replies());
    }

    @Test
    void loginWithTheUserAsInitialResponse() {
        SmtpSession s = encrypted();
        assertEquals(List.of(Reply.of(334, null, "UGFzc3dvcmQ6")), s.handle("AUTH LOGIN " + b64("bob")).replies());
    }

    @Test
    void cancelledOrUndecodableResponses() {
        SmtpSession s = encrypted();
        s.handle("AUTH LOGIN");
        assertEquals("*", s.loggable("*"));
        assertEquals(List.of(Replies.AUTH_ABORTED), s.handle("*").replies());
        s.handle("AUTH PLAIN");
        assertEquals(List.of(Replies.AUTH_CANNOT_DECODE), s.handle("not base64!").replies());
        assertEquals(List.of(Replies.AUTH_FAILED), s.handle("AUTH PLAIN =").replies());
        assertEquals(List.of(Replies.AUTH_FAILED), s.handle("AUTH PLAIN " + b64("nobody")).replies());
        assertEquals(List.of(Replies.UNKNOWN_MECHANISM), s.handle("AUTH CRAM-MD5").replies());
        assertEquals(List.of(Replies.SYNTAX), s.handle("AUTH").replies());
    }

    @Test
    void blockedClientIsClosedAndBusyCheckerIsTemporary() {
        SmtpSession s = encrypted();
        s.handle("AUTH PLAIN " + b64("\0alice\0pw"));
        assertEquals(List.of(Replies.AUTH_UNAVAILABLE), s.onAuthResult(AuthResult.UNAVAILABLE).replies());
        s.handle("AUTH PLAIN " + b64("\0alice\0pw"));
        Step blocked = s.onAuthResult(AuthResult.BLOCKED);
        assertEquals(List.of(Replies.AUTH_BLOCKED), blocked.replies());
        assertInstanceOf(Effect.Close.class, blocked.effect());
    }

    @Test
    void noAuthInsideATransaction() {
        SmtpSession s = encrypted();
        s.handle("MAIL FROM:<a@example.test>");
        assertEquals(List.of(Replies.IN_TRANSACTION), s.handle("AUTH PLAIN " + b64("\0alice\0pw")).replies());
    }

    @Test
    void requireTlsRefusesMailUntilTheHandshake() {
        SmtpSession s = session("203.0.113.7", policy(false, true), ListenerConfig.Tls.STARTTLS);
        s.handle("EHLO c.test");
        assertEquals(List.of(Replies.TLS_REQUIRED), s.handle("MAIL FROM:<a@example.test>").replies());
        s.handle("STARTTLS");
        s.onTlsEstablished("TLSv1.2 with cipher TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        s.handle("EHLO c.test");
        assertEquals(List.of(Replies.SENDER_OK), s.handle("MAIL FROM:<a@example.test>").replies());
    }

    // RFC 4954 4: an over-long line fails the AUTH command; what follows is a command again.
    @Test
    void overLongLineEndsTheExchange() {
        SmtpSession s = encrypted();
        s.handle("AUTH LOGIN");
        assertEquals(List.of(Replies.LINE_TOO_LONG), s.onLineTooLong().replies());
        assertEquals(List.of(Replies.UNKNOWN_COMMAND), s.handle(b64("bob")).replies());
        assertEquals(List.of(Replies.OK), s.handle("NOOP").replies());
        s.handle("AUTH LOGIN " + b64("bob"));
        assertEquals(List.of(Replies.LINE_TOO_LONG), s.onLineTooLong().replies());
        assertEquals(List.of(Replies.UNKNOWN_COMMAND), s.handle(b64("pw")).replies());
        assertNull(s.login());
    }

    @Test
    void theSessionSaysWhileAnExchangeWaitsForAResponse() {
        SmtpSession s = encrypted();
        assertTrue(!s.inAuthExchange());
        s.handle("AUTH LOGIN");
        assertTrue(s.inAuthExchange());
        s.handle(b64("bob"));
        assertTrue(s.inAuthExchange());
        assertInstanceOf(Effect.Authenticate.class, s.handle(b64("pw")).effect());
        assertTrue(!s.inAuthExchange(), "the login check runs outside the exchange");
        s.onAuthResult(AuthResult.REJECTED);
        s.handle("AUTH PLAIN");
        s.onLineTooLong();
        assertTrue(!s.inAuthExchange());
        s.handle("AUTH PLAIN");
        s.handle("*");
        assertTrue(!s.inAuthExchange());
    }

    @Test
    void aResponseThatIsNotUtf8EndsTheExchangeWith501() {
        SmtpSession s = encrypted();
        s.handle("AUTH LOGIN");
        assertEquals(List.of(Replies.AUTH_CANNOT_DECODE), s.handle(new SmtpInput.Line("\u00e9", false)).replies());
        assertEquals(List.of(Replies.OK), s.handle("NOOP").replies());
    }

    // RFC 4954 5: where AUTH is offered, MAIL takes AUTH=<> or an xtext mailbox, logged in or not.
    @Test
    void authParameterOnMailIsTakenWhereAuthIsOffered() {
        for (boolean loggedIn : new boolean[] {false, true}) {
            SmtpSession s = encrypted();
            if (loggedIn) {
                s.handle("AUTH PLAIN " + b64("\0alice\0pw"));
                s.onAuthResult(AuthResult.ACCEPTED);
            }
            for (String value : List.of("<>", "alice@example.test", "alice+2Bshop@example.test")) {
                assertEquals(List.of(Replies.SENDER_OK), s.handle("MAIL FROM:<a@example.test> AUTH=" + value).replies(), value);
                s.handle("RSET");
            }
            for (String value : List.of("", "alice", "<alice@example.test>", "a+zz@example.test", "a+0D+0A@example.test",
                    "a=b@example.test")) {
                assertEquals(List.of(Replies.SYNTAX), s.handle("MAIL FROM:<a@example.test> AUTH=" + value).replies(), value);
            }
            assertEquals(List.of(Replies.SYNTAX), s.handle("MAIL FROM:<a@example.test> AUTH").replies());
        }
    }

    @Test
    void authParameterIsUnknownWhereAuthIsNotOffered() {
        SmtpSession s = starttls();
        s.handle("EHLO c.test");
        assertEquals(List.of(Replies.UNKNOWN_PARAMETER), s.handle("MAIL FROM:<a@example.test> AUTH=<>").replies());
    }
}
