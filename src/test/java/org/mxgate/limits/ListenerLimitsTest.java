package org.mxgate.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxgate.config.ClientLimitsConfig;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.net.NetworkSet;

/**
 * One listener's decisions on its clients, on an injected clock: the caps of the process, the
 * listener and the address, the rates with their retry hints, per login across listeners,
 * exempt networks, and slots that come back.
 */
class ListenerLimitsTest {

    private static final String HOST = "mx.example.test";
    private static final ClientLimitsConfig OFF = new ClientLimitsConfig(0, 0, 0, 0, 0, 0, 0, Duration.ofMinutes(1),
            32, 64, NetworkSet.EMPTY, 0);

    private final ManualTicker ticker = new ManualTicker();
    private final ClientLimits gateway = new ClientLimits(new LocalCounters(ticker), HOST, 0);
    private final ListenerLimits internet = gateway.forListener("internet");

    @Test
    void theAddressCapRefusesTheEleventhSessionUntilOneEnds() throws Exception {
        ClientLimitsConfig limits = with(10, 0, 0);
        List<Admission> open = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Admission a = internet.admit(ip("203.0.113.7"), limits);
            assertTrue(a.isAdmitted(), "session " + i);
            open.add(a);
        }
        Admission eleventh = internet.admit(ip("203.0.113.7"), limits);
        assertEquals(Replies.tooManyConnectionsFrom(HOST, "203.0.113.7"), eleventh.refusal());
        assertEquals("421 4.7.0 mx.example.test Error: too many connections from 203.0.113.7, try again later",
                eleventh.refusal().toString());
        assertTrue(internet.admit(ip("203.0.113.8"), limits).isAdmitted(), "another address is served meanwhile");
        assertEquals(10, internet.sessionsFrom(ip("203.0.113.7"), limits), "the refusal took no slot");
        open.get(0).release();
        open.get(0).release();
        assertEquals(9, internet.sessionsFrom(ip("203.0.113.7"), limits), "a slot comes back once");
        assertTrue(internet.admit(ip("203.0.113.7"), limits).isAdmitted());
    }

    @Test
    void anIpv6HostIsCountedPerSlash64() throws Exception {
        ClientLimitsConfig limits = with(2, 0, 0);
        assertTrue(internet.admit(ip("2001:db8:1:2::1"), limits).isAdmitted());
        assertTrue(internet.admit(ip("2001:db8:1:2::2"), limits).isAdmitted());
        Admission third = internet.admit(ip("2001:db8:1:2:ffff::9"), limits);
        assertFalse(third.isAdmitted(), "a third address of the same /64 is the same client");
        assertTrue(third.refusal().text().contains("from 2001:db8:1:2:0:0:0:0/64"), third.refusal().text());
        assertTrue(internet.admit(ip("2001:db8:1:3::1"), limits).isAdmitted(), "the next /64 is another client");
    }

    @Test
    void theListenerCapCountsEveryoneAndTheProcessCapEveryListener() throws Exception {
        ClientLimits small = new ClientLimits(new LocalCounters(ticker), HOST, 3);
        ListenerLimits one = small.forListener("internet");
        ListenerLimits two = small.forListener("internal");
        ClientLimitsConfig listenerCap = new ClientLimitsConfig(0, 2, 0, 0, 0, 0, 0, Duration.ofMinutes(1), 32, 64,
                NetworkSet.EMPTY, 0);
        Admission a = one.admit(ip("192.0.2.1"), listenerCap);
        assertTrue(a.isAdmitted());
        assertTrue(one.admit(ip("192.0.2.2"), listenerCap).isAdmitted());
        Admission third = one.admit(ip("192.0.2.3"), listenerCap);
        assertEquals(Replies.tooManyConnections(HOST), third.refusal());
        assertEquals(421, third.refusal().code());
        assertEquals("4.3.2", third.refusal().status());
        assertTrue(two.admit(ip("192.0.2.3"), OFF).isAdmitted(), "another listener has its own cap");
        assertEquals(Replies.tooManyConnections(HOST), two.admit(ip("192.0.2.4"), OFF).refusal(), "three in the process");
        assertEquals(3, small.openSessions());
        a.release();
        assertEquals(2, small.openSessions());
        assertEquals(1, one.openSessions());
        assertTrue(two.admit(ip("192.0.2.4"), OFF).isAdmitted());
    }

    @Test
    void theConnectionRateSaysWhenToComeBackAndRefusalsDoNotCount() throws Exception {
        ClientLimitsConfig limits = with(0, 3, 0);
        for (int i = 0; i < 3; i++) {
            internet.admit(ip("198.51.100.1"), limits).release();
            ticker.advance(Duration.ofSeconds(10));
        }
        Admission fourth = internet.admit(ip("198.51.100.1"), limits);
        // The first came 30 s ago and leaves the window within the next 30 s, not before 25 s (5 s steps).
        assertEquals(421, fourth.refusal().code());
        assertEquals("4.7.0", fourth.refusal().status());
        long hint = hint(fourth.refusal());
        assertTrue(hint > 25 && hint <= 30, fourth.refusal().toString());
        assertTrue(fourth.refusal().text().endsWith("Error: too many connections from 198.51.100.1, try again in " + hint + " s"));
        // Hammering meanwhile changes nothing: a client that waits as told gets in.
        for (int i = 0; i < 50; i++) {
            assertFalse(internet.admit(ip("198.51.100.1"), limits).isAdmitted());
        }
        ticker.advance(Duration.ofSeconds(hint));
        assertTrue(internet.admit(ip("198.51.100.1"), limits).isAdmitted());
        assertFalse(internet.admit(ip("198.51.100.1"), limits).isAdmitted(), "and the window is full again");
    }

    @Test
    void aRefusalIsLoggedOncePerMinuteAndReason() throws Exception {
        ClientLimitsConfig limits = with(1, 0, 0);
        internet.admit(ip("203.0.113.9"), limits);
        assertTrue(internet.admit(ip("203.0.113.9"), limits).isFirstRefusal());
        assertFalse(internet.admit(ip("203.0.113.9"), limits).isFirstRefusal());
        internet.admit(ip("203.0.113.10"), limits);
        assertTrue(internet.admit(ip("203.0.113.10"), limits).isFirstRefusal(), "another client is news");
        ticker.advance(Duration.ofMinutes(1));
        assertTrue(internet.admit(ip("203.0.113.9"), limits).isFirstRefusal());
    }

    @Test
    void exemptAddressesAreNotCountedButTheListenerCapStillApplies() throws Exception {
        ClientLimitsConfig limits = new ClientLimitsConfig(1, 3, 1, 1, 1, 0, 0, Duration.ofMinutes(1), 32, 64,
                NetworkSet.parse(List.of("127.0.0.0/8")), 0);
        for (int i = 0; i < 3; i++) {
            assertTrue(internet.admit(ip("127.0.0.1"), limits).isAdmitted(), "session " + i);
            assertEquals(Optional.empty(), internet.message(ip("127.0.0.1"), null, limits));
            assertEquals(Optional.empty(), internet.recipient(ip("127.0.0.1"), null, limits));
        }
        assertEquals(Replies.tooManyConnections(HOST), internet.admit(ip("127.0.0.1"), limits).refusal());
        assertEquals(0, internet.sessionsFrom(ip("127.0.0.1"), limits));
    }

    @Test
    void loopbackIsCountedLikeAnyoneUnlessExempt() throws Exception {
        ClientLimitsConfig limits = with(1, 0, 0);
        assertTrue(internet.admit(ip("127.0.0.1"), limits).isAdmitted());
        assertFalse(internet.admit(ip("127.0.0.1"), limits).isAdmitted());
    }

    @Test
    void messagesPerAddressGet450WithTheTimeToWait() throws Exception {
        ClientLimitsConfig limits = with(0, 0, 2);
        assertEquals(Optional.empty(), internet.message(ip("192.0.2.7"), null, limits));
        ticker.advance(Duration.ofSeconds(12));
        assertEquals(Optional.empty(), internet.message(ip("192.0.2.7"), null, limits));
        Reply refused = internet.message(ip("192.0.2.7"), null, limits).orElseThrow();
        assertEquals(450, refused.code());
        assertEquals("4.7.1", refused.status());
        long hint = hint(refused);
        assertTrue(hint > 43 && hint <= 48, refused.toString());
        assertEquals(Replies.messageRate("192.0.2.7", hint), refused);
        assertEquals(Optional.empty(), internet.message(ip("192.0.2.8"), null, limits), "another address");
        assertEquals(Optional.empty(), gateway.forListener("internal").message(ip("192.0.2.7"), null, limits),
                "another listener counts its own clients");
        ticker.advance(Duration.ofSeconds(hint));
        assertEquals(Optional.empty(), internet.message(ip("192.0.2.7"), null, limits));
    }

    @Test
    void recipientsPerAddressGet452() throws Exception {
        ClientLimitsConfig limits = new ClientLimitsConfig(0, 0, 0, 0, 3, 0, 0, Duration.ofMinutes(1), 32, 64,
                NetworkSet.EMPTY, 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), internet.recipient(ip("192.0.2.7"), null, limits));
        }
        Reply refused = internet.recipient(ip("192.0.2.7"), null, limits).orElseThrow();
        assertEquals(452, refused.code());
        assertEquals("4.7.1", refused.status());
        assertTrue(refused.text().startsWith("Error: too many recipients from 192.0.2.7, try again in "), refused.text());
    }

    @Test
    void aLoginIsCountedOnEveryListenerTogether() throws Exception {
        ClientLimitsConfig limits = new ClientLimitsConfig(0, 0, 0, 0, 0, 2, 0, Duration.ofMinutes(1), 32, 64,
                NetworkSet.EMPTY, 0);
        ListenerLimits submission = gateway.forListener("submission");
        ListenerLimits smtps = gateway.forListener("smtps");
        assertEquals(Optional.empty(), submission.message(ip("192.0.2.1"), "alice@example.test", limits));
        assertEquals(Optional.empty(), smtps.message(ip("198.51.100.1"), "Alice@Example.test", limits));
        Reply refused = submission.message(ip("203.0.113.1"), "alice@example.test", limits).orElseThrow();
        assertTrue(refused.text().startsWith("Error: too much mail from alice@example.test, try again in "), refused.text());
        assertEquals(Optional.empty(), submission.message(ip("203.0.113.1"), "bob@example.test", limits));
        assertEquals(Optional.empty(), submission.message(ip("203.0.113.1"), null, limits), "no login, no login count");
    }

    @Test
    void aLoginOverItsRateDoesNotUseUpItsAddress() throws Exception {
        ClientLimitsConfig limits = new ClientLimitsConfig(0, 0, 0, 2, 0, 1, 0, Duration.ofMinutes(1), 32, 64,
                NetworkSet.EMPTY, 0);
        assertEquals(Optional.empty(), internet.message(ip("192.0.2.1"), "alice", limits));
        assertTrue(internet.message(ip("192.0.2.1"), "alice", limits).isPresent());
        assertEquals(Optional.empty(), internet.message(ip("192.0.2.1"), "bob", limits),
                "alice's refused message took none of the address's two");
        assertTrue(internet.message(ip("192.0.2.1"), "carol", limits).isPresent(), "now the address is at its limit");
    }

    private static ClientLimitsConfig with(int perIp, int connectionRate, int messageRate) {
        return new ClientLimitsConfig(perIp, 0, connectionRate, messageRate, 0, 0, 0, Duration.ofMinutes(1), 32, 64,
                NetworkSet.EMPTY, 0);
    }

    private static long hint(Reply reply) {
        String text = reply.text();
        String seconds = text.substring(text.lastIndexOf("try again in ") + "try again in ".length(), text.length() - 2);
        return Long.parseLong(seconds);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }
}
