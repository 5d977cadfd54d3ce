package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mxgate.config.ServerConfig;
import org.mxgate.mail.Reply;
import org.mxgate.net.ClientAddress;
import org.mxgate.net.HostPort;

/**
 * XCLIENT on a backend session (Postfix XCLIENT_README) without a socket: the command with the
 * attributes the backend offers, its 220, EHLO again, and what happens when the backend refuses,
 * goes quiet or goes away at each of those steps. Replies are fed one byte at a time where it matters.
 */
class ClientIpForwardingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ForwardedClient CLIENT = new ForwardedClient(
            new ClientAddress(new InetSocketAddress("203.0.113.7", 40000), new InetSocketAddress("10.0.0.5", 50000)),
            "client.test", "ESMTP", new InetSocketAddress("198.51.100.1", 25), "alice");

    private final EmbeddedBackend peer = new EmbeddedBackend();
    private final Backend backend = peer.backend;
    private final BackendSession session = peer.session;
    private final EmbeddedChannel channel = peer.channel;
    private final ClientIpForwarding forwarding = new ClientIpForwarding("gw.test");

    ClientIpForwardingTest() {
        session.capabilities(Reply.parse(250, List.of("mx1.test", "PIPELINING", "XCLIENT NAME ADDR PORT HELO PROTO LOGIN")));
    }

    @AfterEach
    void releaseEverything() {
        peer.close();
    }

    @Test
    void xclientThenEhloAgainMakesTheSessionSpeakForTheClient() {
        CompletableFuture<BackendSession> ready = forwarding.xclient(session, CLIENT, TIMEOUT);
        assertEquals(List.of("XCLIENT NAME=[UNAVAILABLE] ADDR=203.0.113.7 PORT=40000 HELO=client.test PROTO=ESMTP"
                + " LOGIN=alice\r\n"), peer.writes());
        // Postfix answers XCLIENT with a new greeting.
        peer.saysOneByteAtATime("220 mx1.test ESMTP\r\n");
        assertEquals(List.of("EHLO gw.test\r\n"), peer.writes());
        peer.saysOneByteAtATime("250-mx1.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
        assertSame(session, ready.join());
        assertEquals(CLIENT.identity(), session.speaksFor());
        assertTrue(session.offers("8BITMIME"), "the EHLO after XCLIENT is what the session offers now");
        assertFalse(session.offers("XCLIENT"));
        assertTrue(channel.isActive());
    }

    @Test
    void onlyTheAttributesTheBackendOffersAreSent() {
        session.capabilities(Reply.parse(250, List.of("mx1.test", "XCLIENT ADDR")));
        forwarding.xclient(session, CLIENT, TIMEOUT);
        assertEquals(List.of("XCLIENT ADDR=203.0.113.7\r\n"), peer.writes());
    }

    @Test
    void sessionThatSpeaksForTheClientAlreadySendsNothing() {
        session.speaksFor(CLIENT.identity());
        assertSame(session, forwarding.xclient(session, CLIENT, TIMEOUT).join());
        assertEquals(List.of(), peer.writes());
    }

    @Test
    void noClientSendsNothing() {
        assertSame(session, forwarding.xclient(session, null, TIMEOUT).join());
        assertEquals(List.of(), peer.writes());
    }

    @Test
    void backendWithoutXclientIsUsedAsItIs() {
        session.capabilities(Reply.parse(250, List.of("mx1.test", "PIPELINING")));
        assertSame(session, forwarding.xclient(session, CLIENT, TIMEOUT).join());
        assertEquals(List.of(), peer.writes());
        assertNull(session.speaksFor());
        assertTrue(channel.isActive());
    }

    @Test
    void transactionLeftOpenIsResetFirst() {
        session.needsReset(true);
        CompletableFuture<BackendSession> ready = forwarding.xclient(session, CLIENT, TIMEOUT);
        assertEquals(List.of("RSET\r\n"), peer.writes());
        peer.says("250 2.0.0 Ok\r\n");
        assertFalse(session.needsReset());
        assertTrue(peer.writes().get(0).startsWith("XCLIENT "));
        peer.says("220 mx1.test ESMTP\r\n250 mx1.test\r\n");
        assertSame(session, ready.join());
    }

    @Test
    void refusedXclientFailsAndCloses() {
        CompletableFuture<BackendSession> ready = forwarding.xclient(session, CLIENT, TIMEOUT);
        peer.says("550 5.7.0 insufficient authorization\r\n");
        BackendException refused = EmbeddedBackend.failure(ready);
        assertEquals(BackendException.Kind.REFUSED, refused.kind());
        assertEquals(550, refused.reply().code());
        assertTrue(refused.getMessage().startsWith("mx1: XCLIENT refused: "), refused.getMessage());
        assertFalse(channel.isOpen());
        assertNull(session.speaksFor());
    }

    @Test
    void refusedEhloAfterXclientFailsAndCloses() {
        CompletableFuture<BackendSession> ready = forwarding.xclient(session, CLIENT, TIMEOUT);
        peer.says("220 mx1.test ESMTP\r\n");
        peer.says("421 4.3.2 shutting down\r\n");
        BackendException refused = EmbeddedBackend.failure(ready);
        assertTrue(refused.getMessage().startsWith("mx1: EHLO after XCLIENT refused: "), refused.getMessage());
        assertFalse(channel.isOpen());
        assertNull(session.speaksFor());
    }

    @Test
    void closeDuringXclientFailsAsLost() {
        CompletableFuture<BackendSession> ready = forwarding.xclient(session, CLIENT, TIMEOUT);
        peer.says("220 mx1.te");
        channel.close();
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(ready).kind());
    }

    @Test
    void closeDuringTheEhloAfterXclientFailsAsLost() {
        CompletableFuture<BackendSession> ready = forwarding.xclient(session, CLIENT, TIMEOUT);
        peer.says("220 mx1.test ESMTP\r\n250-mx1.test\r\n");
        channel.close();
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(ready).kind());
        assertNull(session.speaksFor());
    }

    @Test
    void silentBackendTimesOutAtXclient() {
        CompletableFuture<BackendSession> ready = forwarding.xclient(session, CLIENT, TIMEOUT);
        channel.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        assertEquals(BackendException.Kind.TIMEOUT, EmbeddedBackend.failure(ready).kind());
        assertFalse(channel.isOpen());
    }
}
