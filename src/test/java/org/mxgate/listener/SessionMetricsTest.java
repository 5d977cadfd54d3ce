package org.mxgate.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxgate.config.AccessConfig;
import org.mxgate.config.LimitsConfig;
import org.mxgate.config.ListenerConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.limits.ClientLimits;
import org.mxgate.limits.LocalCounters;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.metrics.GatewayMetrics;
import org.mxgate.net.ClientAddress;
import org.mxgate.net.NetworkSet;
import org.mxgate.policy.Policy;
import org.mxgate.smtp.DataResult;
import org.mxgate.smtp.SmtpSession;

/**
 * What a session counts, through the listener's real meters: each refusal under the reason that
 * decided it (docs/operations.md, "Metrics"), protocol errors under none, limits by their key,
 * a delivered message as accepted, and every command by its verb.
 */
class SessionMetricsTest {

    private static final Policy POLICY = new Policy(new PolicyConfig("internet", Path.of("policies/internet.yml"),
            List.of("example.test"), NetworkSet.parse(List.of()), Map.of("*", "mailbox"),
            new LimitsConfig(1000, 2, 5, Duration.ofMinutes(5)), false, AccessConfig.NONE));

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final MeterRegistry registry = metrics.registry();
    private final ListenerEvents events = new ListenerEvents(metrics.listener("internet"));

    private SmtpSession session() {
        return new SmtpSession("mx.example.test", "internet", () -> POLICY,
                ClientAddress.direct(new InetSocketAddress("203.0.113.7", 40000)), Clock.systemUTC(),
                ListenerConfig.Tls.NONE, new ClientLimits(new LocalCounters(), "mx.example.test", 0).forListener("internet"),
                () -> false, events);
    }

    private SmtpSession inTransaction() {
        SmtpSession session = session();
        session.handle("EHLO client.test");
        session.handle("MAIL FROM:<a@client.test>");
        return session;
    }

    @Test
    void aDeliveredMessageIsAcceptedAndItsCommandsCounted() {
        SmtpSession session = inTransaction();
        session.handle("RCPT TO:<user@example.test>");
        session.onRecipientReply(Replies.RECIPIENT_OK);
        session.handle("DATA");
        session.onDataReply(Reply.of(354, null, "go ahead"));
        session.onDataEnd(new DataResult(100, null));
        session.onDataOutcome(Replies.queued("q1", "mx1", "B1"));
        assertEquals(1, count("mxgate.messages.accepted"));
        assertEquals(0, refusals());
        assertEquals(1, count("mxgate.commands", "verb", "ehlo"));
        assertEquals(1, count("mxgate.commands", "verb", "mail"));
        assertEquals(1, count("mxgate.commands", "verb", "rcpt"));
        assertEquals(1, count("mxgate.commands", "verb", "data"));
        assertEquals(1, metrics.history().listenerAcceptedLastHour("internet"));
    }

    @Test
    void aForeignRecipientIsRelayDenied() {
        inTransaction().handle("RCPT TO:<user@foreign.test>");
        assertRefused("relay_denied");
        assertEquals(1L, metrics.history().listenerRefusedLastHour("internet").get("relay_denied"));
    }

    @Test
    void malformedAddressesAndParametersAreSyntax() {
        SmtpSession session = session();
        session.handle("EHLO client.test");
        session.handle("MAIL FROM:<a@client.test> BOGUS=1");
        session.handle("MAIL FROM:<a@client.test>");
        session.handle("RCPT TO:<not an address>");
        assertEquals(2, count("mxgate.messages.refused", "reason", "syntax"));
        assertEquals(2, refusals());
    }

    @Test
    void aDeclaredSizeOverTheLimitIsSizeAndALimitHit() {
        SmtpSession session = session();
        session.handle("EHLO client.test");
        session.handle("MAIL FROM:<a@client.test> SIZE=5000");
        assertRefused("size");
        assertEquals(1, count("mxgate.limit.hits", "limit", "limits.max_message_size"));
    }

    @Test
    void contentRefusalsAfterTheDot() {
        SmtpSession session = accepted(inTransaction(), "user@example.test");
        session.handle("DATA");
        session.onDataReply(Reply.of(354, null, "go ahead"));
        session.onDataEnd(new DataResult(100, DataResult.Refusal.BARE_LINE_ENDING));
        assertRefused("syntax");
        SmtpSession big = accepted(inTransaction(), "user@example.test");
        big.handle("DATA");
        big.onDataReply(Reply.of(354, null, "go ahead"));
        big.onDataEnd(new DataResult(2000, DataResult.Refusal.TOO_BIG));
        assertEquals(1, count("mxgate.messages.refused", "reason", "size"));
    }

    @Test
    void oneRecipientTooManyIsALimit() {
        SmtpSession session = accepted(accepted(inTransaction(), "u1@example.test"), "u2@example.test");
        session.handle("RCPT TO:<u3@example.test>");
        assertRefused("limits");
        assertEquals(1, count("mxgate.limit.hits", "limit", "limits.max_recipients"));
    }

    @Test
    void aBackendsRefusalIsTheBackendsAndOursIsOther() {
        SmtpSession session = inTransaction();
        session.handle("RCPT TO:<gone@example.test>");
        session.onRecipientReply(Reply.of(550, "5.1.1", "User unknown"));
        session.handle("RCPT TO:<user@example.test>");
        session.onRecipientReply(Replies.RELAY_FAILED);
        assertEquals(1, count("mxgate.messages.refused", "reason", "backend_refusal"));
        assertEquals(1, count("mxgate.messages.refused", "reason", "other"));
        SmtpSession refusedAtDot = accepted(inTransaction(), "user@example.test");
        refusedAtDot.handle("DATA");
        refusedAtDot.onDataReply(Reply.of(354, null, "go ahead"));
        refusedAtDot.onDataEnd(new DataResult(100, null));
        refusedAtDot.onDataOutcome(Reply.of(554, "5.7.1", "Spam"));
        assertEquals(2, count("mxgate.messages.refused", "reason", "backend_refusal"));
    }

    @Test
    void protocolErrorsAreNoRefusalsButTooManyIsALimit() {
        SmtpSession session = session();
        session.handle("EHLO client.test");
        session.handle("RCPT TO:<user@example.test>");
        for (int i = 0; i < 4; i++) {
            session.handle("XYZZY");
        }
        assertEquals(0, refusals());
        assertEquals(4, count("mxgate.commands", "verb", "unknown"));
        assertEquals(1, count("mxgate.limit.hits", "limit", "limits.max_errors"));
    }

    @Test
    void everyReasonAndLimitHasASeriesFromTheStart() {
        assertEquals(8, registry.find("mxgate.messages.refused").tag("listener", "internet").counters().size());
        assertEquals(17, registry.find("mxgate.limit.hits").tag("listener", "internet").counters().size());
    }

    private SmtpSession accepted(SmtpSession session, String recipient) {
        session.handle("RCPT TO:<" + recipient + ">");
        session.onRecipientReply(Replies.RECIPIENT_OK);
        return session;
    }

    private void assertRefused(String reason) {
        assertEquals(1, count("mxgate.messages.refused", "reason", reason), reason);
        assertEquals(1, refusals(), "refused for one reason only");
    }

    private double refusals() {
        return registry.find("mxgate.messages.refused").tag("listener", "internet").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tag("listener", "internet").tags(tags).counter().count();
    }
}
