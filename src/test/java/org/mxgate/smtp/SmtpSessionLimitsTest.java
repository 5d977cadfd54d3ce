package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mxgate.config.AccessConfig;
import org.mxgate.config.ClientLimitsConfig;
import org.mxgate.config.LimitsConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.limits.ClientLimits;
import org.mxgate.limits.ListenerLimits;
import org.mxgate.limits.LocalCounters;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.net.ClientAddress;
import org.mxgate.net.NetworkSet;
import org.mxgate.policy.Policy;

/**
 * The session's part of the client limits: junk commands end the session past
 * max_junk_commands (a delivered message starts the count again; bad commands count as errors,
 * not junk), and the message and recipient rates refuse MAIL and RCPT with a time to wait,
 * measured on an injected ticker.
 */
class SmtpSessionLimitsTest {

    private static final String HOST = "mx.example.test";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-02T10:00:00Z"), ZoneOffset.UTC);

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final ListenerLimits limits = new ClientLimits(new LocalCounters(ticker), HOST, 0).forListener("internet");

    @Test
    void junkCommandsPastTheLimitEndTheSession() {
        SmtpSession session = session(limits(5, 0, 0));
        session.handle("EHLO c.test");
        for (String junk : List.of("NOOP", "RSET", "VRFY someone", "HELP", "EHLO again.test")) {
            assertNull(session.handle(junk).effect(), junk);
        }
        assertEquals(new Step(List.of(Replies.tooManyJunkCommands(HOST)), new Effect.Close()), session.handle("NOOP"));
        assertEquals("421 4.7.0 mx.example.test Error: too many commands without mail",
                Replies.tooManyJunkCommands(HOST).toString());
    }

    @Test
    void aDeliveredMessageStartsTheCountAgain() {
        SmtpSession session = session(limits(3, 0, 0));
        session.handle("EHLO c.test");
        session.handle("NOOP");
        session.handle("NOOP");
        session.handle("NOOP");
        deliver(session);
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(Replies.OK), session.handle("NOOP").replies(), "NOOP " + i + " after the delivery");
        }
        assertInstanceOf(Effect.Close.class, session.handle("NOOP").effect());
    }

    @Test
    void badCommandsCountAsErrorsNotJunk() {
        SmtpSession session = session(limits(2, 0, 0));
        session.handle("EHLO c.test");
        assertEquals(List.of(Replies.SYNTAX), session.handle("VRFY").replies());
        assertEquals(List.of(Replies.HELO_SYNTAX), session.handle("EHLO").replies());
        assertEquals(List.of(Replies.OK), session.handle("NOOP").replies());
        assertEquals(List.of(Replies.OK), session.handle("NOOP").replies());
        assertInstanceOf(Effect.Close.class, session.handle("NOOP").effect());
    }

    @Test
    void theFirstGreetingAndTheOneAfterTlsAreNotJunk() {
        SmtpSession session = session(limits(1, 0, 0));
        session.handle("EHLO c.test");
        session.onTlsEstablished("TLSv1.3 with cipher TLS_AES_128_GCM_SHA256");
        assertNull(session.handle("EHLO c.test").effect());
        assertNull(session.handle("NOOP").effect());
        assertInstanceOf(Effect.Close.class, session.handle("EHLO c.test").effect());
    }

    @Test
    void noJunkLimitWhenItIsZero() {
        SmtpSession session = session(limits(0, 0, 0));
        session.handle("EHLO c.test");
        for (int i = 0; i < 10_000; i++) {
            assertNull(session.handle("NOOP").effect());
        }
    }

    @Test
    void mailOverTheMessageRateGets450WithTheTimeToWait() {
        ClientLimitsConfig rates = limits(100, 2, 0);
        SmtpSession first = session(rates);
        first.handle("EHLO c.test");
        assertEquals(List.of(Replies.SENDER_OK), first.handle("MAIL FROM:<a@client.test>").replies());
        first.handle("RSET");
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        // Another session of the same client shares its count.
        SmtpSession second = session(rates);
        second.handle("EHLO c.test");
        assertEquals(List.of(Replies.SENDER_OK), second.handle("MAIL FROM:<a@client.test>").replies());
        second.handle("RSET");
        Reply refused = second.handle("MAIL FROM:<a@client.test>").replies().get(0);
        assertEquals(450, refused.code());
        assertTrue(refused.text().matches("Error: too much mail from 203\\.0\\.113\\.7, try again in (3[5-9]|40) s"),
                refused.text());
        assertTrue(!second.inTransaction());
        nanos.addAndGet(Duration.ofSeconds(40).toNanos());
        assertEquals(List.of(Replies.SENDER_OK), second.handle("MAIL FROM:<a@client.test>").replies());
    }

    @Test
    void rcptOverTheRecipientRateGets452AndNeverReachesTheRelay() {
        SmtpSession session = session(limits(100, 0, 2));
        session.handle("EHLO c.test");
        session.handle("MAIL FROM:<a@client.test>");
        assertInstanceOf(Effect.RelayRecipient.class, session.handle("RCPT TO:<one@example.test>").effect());
        session.onRecipientReply(Replies.RECIPIENT_OK);
        // Refused by policy, and still counted: it probed an address.
        assertEquals(554, session.handle("RCPT TO:<x@elsewhere.test>").replies().get(0).code());
        Step third = session.handle("RCPT TO:<two@example.test>");
        assertNull(third.effect());
        assertEquals(452, third.replies().get(0).code());
        assertEquals("4.7.1", third.replies().get(0).status());
        assertTrue(session.inTransaction(), "the accepted recipient stays; the client sends the rest later");
    }

    private static ClientLimitsConfig limits(int junk, int messages, int recipients) {
        return new ClientLimitsConfig(0, 0, 0, messages, recipients, 0, 0, Duration.ofMinutes(1), 32, 64,
                NetworkSet.EMPTY, junk);
    }

    private SmtpSession session(ClientLimitsConfig clientLimits) {
        Policy policy = new Policy(new PolicyConfig("internet", Path.of("policies/internet.yml"), List.of("example.test"),
                NetworkSet.EMPTY, Map.of("*", "mailbox"), new LimitsConfig(1000, 10, 20, Duration.ofMinutes(5)), false,
                AccessConfig.NONE, PolicyConfig.Dnsbl.OFF, PolicyConfig.Auth.OFF, false, clientLimits));
        return new SmtpSession(HOST, "internet", () -> policy,
                ClientAddress.direct(new InetSocketAddress("203.0.113.7", 40000)), CLOCK, limits);
    }

    private static void deliver(SmtpSession session) {
        session.handle("MAIL FROM:<a@client.test>");
        session.handle("RCPT TO:<user@example.test>");
        session.onRecipientReply(Replies.RECIPIENT_OK);
        session.handle("DATA");
        session.onDataReply(Reply.of(354, null, "go ahead"));
        session.onDataEnd(new DataResult(120, null));
        assertEquals(250, session.onDataOutcome(Replies.queued("Q1", "b1", "q")).replies().get(0).code());
    }
}
