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
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * What BackendClient does once connected, without a socket: the PROXY v2 header, the greeting and
 * EHLO (HELO when EHLO is refused), on the pipeline it gives a backend connection, in an
 * EmbeddedChannel with a frozen clock, the backend's replies fed whole or one byte at a time.
 */
class BackendClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final BackendClient client = new BackendClient("gw.test");
    private final EmbeddedBackend peer = new EmbeddedBackend();
    private final Backend backend = peer.backend;
    private final BackendSession session = peer.session;
    private final EmbeddedChannel channel = peer.channel;

    BackendClientTest() {
    }

    @AfterEach
    void releaseEverything() {
        peer.close();
    }
    private void advance(Duration time) {
        channel.advanceTimeBy(time.toMillis(), TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
    }

    private CompletableFuture<BackendSession> greet() {
        return client.greet(session, null, TIMEOUT, true);
    }

    // --- greeting and EHLO

    @Test
    void greetingThenEhloLearnsTheExtensions() {
        CompletableFuture<BackendSession> ready = greet();
        assertEquals(List.of(), peer.writes(), "the backend speaks first");
        peer.says("220-mx1.test ESMTP\r\n220 no UCE\r\n");
        assertEquals(List.of("EHLO gw.test\r\n"), peer.writes());
        peer.says("250-mx1.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250-XCLIENT NAME ADDR PORT\r\n250 SIZE 10240000\r\n");
        assertSame(session, ready.join());
        assertTrue(session.offers("PIPELINING"));
        assertTrue(session.offers("STARTTLS"));
        assertEquals(Set.of("NAME", "ADDR", "PORT"), session.parametersOf("XCLIENT"));
        assertTrue(session.isReusable());
    }

    @Test
    void greetingAndEhloReplyOneByteAtATime() {
        CompletableFuture<BackendSession> ready = greet();
        peer.saysOneByteAtATime("220 mx1.test ESMTP\r\n");
        assertEquals(List.of("EHLO gw.test\r\n"), peer.writes());
        String ehlo = "250-mx1.test\r\n250-8BITMIME\r\n250 PIPELINING\r\n";
        peer.saysOneByteAtATime(ehlo.substring(0, ehlo.length() - 1));
        assertFalse(ready.isDone());
        peer.says("\n");
        assertSame(session, ready.join());
        assertTrue(session.offers("8BITMIME"));
        assertTrue(session.offers("PIPELINING"));
    }

    @Test
    void greetingAndEhloReplyWithACodeAloneAreEnough() {
        // RFC 5321 4.2: the text of a reply is optional.
        CompletableFuture<BackendSession> ready = greet();
        peer.says("220\r\n");
        assertEquals(List.of("EHLO gw.test\r\n"), peer.writes());
        peer.says("250\r\n");
        assertSame(session, ready.join());
        assertFalse(session.offers("PIPELINING"));
        assertTrue(session.isReusable());
    }

    @Test
    void greetingWithABadReplyCodeFailsAsLost() {
        CompletableFuture<BackendSession> ready = greet();
        peer.says("22O mx1.test ESMTP\r\n");
        BackendException lost = EmbeddedBackend.failure(ready);
        assertEquals(BackendException.Kind.LOST, lost.kind());
        assertTrue(lost.getMessage().startsWith("mx1: connection closed on bad reply line \"22O mx1.test ESMTP\""),
                lost.getMessage());
        assertEquals(List.of(), peer.writes());
        assertFalse(channel.isOpen());
    }

    @Test
    void greetingOnlyStopsAfterTheGreeting() {
        // The "connect" health probe: nothing is sent after the 220.
        CompletableFuture<BackendSession> ready = client.greet(session, null, TIMEOUT, false);
        peer.says("220 mx1.test ESMTP\r\n");
        assertSame(session, ready.join());
        assertEquals(List.of(), peer.writes());
        assertFalse(session.offers("PIPELINING"));
    }

    @Test
    void refusedGreetingFailsAndClosesWithoutAWord() {
        CompletableFuture<BackendSession> ready = greet();
        peer.says("554 5.3.2 mx1.test not accepting mail\r\n");
        BackendException refused = EmbeddedBackend.failure(ready);
        assertEquals(BackendException.Kind.REFUSED, refused.kind());
        assertEquals(554, refused.reply().code());
        assertTrue(refused.getMessage().startsWith("mx1: greeting refused: "), refused.getMessage());
        assertEquals(List.of(), peer.writes());
        assertFalse(channel.isOpen());
    }

    @Test
    void busyGreetingFailsAsRefused() {
        CompletableFuture<BackendSession> ready = greet();
        peer.says("421 4.3.2 mx1.test busy, try later\r\n");
        assertEquals(421, EmbeddedBackend.failure(ready).reply().code());
        assertFalse(channel.isOpen());
    }

    @Test
    void permanentlyRefusedEhloFallsBackToHelo() {
        CompletableFuture<BackendSession> ready = greet();
        peer.says("220 mx1.test SMTP\r\n");
        peer.writes();
        peer.says("502 5.5.1 command not implemented\r\n");
        assertEquals(List.of("HELO gw.test\r\n"), peer.writes());
        peer.says("250 mx1.test\r\n");
        assertSame(session, ready.join());
        assertFalse(session.offers("PIPELINING"), "HELO offers no extensions");
        assertTrue(channel.isActive());
    }

    @Test
    void refusedHeloFails() {
        CompletableFuture<BackendSession> ready = greet();
        peer.says("220 mx1.test SMTP\r\n");
        peer.says("500 5.5.1 what\r\n");
        peer.says("550 5.7.1 go away\r\n");
        BackendException refused = EmbeddedBackend.failure(ready);
        assertEquals(BackendException.Kind.REFUSED, refused.kind());
        assertTrue(refused.getMessage().startsWith("mx1: HELO refused: "), refused.getMessage());
        assertFalse(channel.isOpen());
    }

    @Test
    void transientlyRefusedEhloFailsWithoutHelo() {
        CompletableFuture<BackendSession> ready = greet();
        peer.says("220 mx1.test ESMTP\r\n");
        peer.writes();
        peer.says("421 4.7.0 mx1.test closing\r\n");
        BackendException refused = EmbeddedBackend.failure(ready);
        assertTrue(refused.getMessage().startsWith("mx1: EHLO refused: "), refused.getMessage());
        assertEquals(List.of(), peer.writes());
        assertFalse(channel.isOpen());
    }

    // --- timeouts

    @Test
    void silentBackendTimesOutAtTheGreeting() {
        CompletableFuture<BackendSession> ready = greet();
        advance(TIMEOUT.minusMillis(1));
        assertFalse(ready.isDone());
        advance(Duration.ofMillis(1));
        BackendException timeout = EmbeddedBackend.failure(ready);
        assertEquals(BackendException.Kind.TIMEOUT, timeout.kind());
        assertFalse(channel.isOpen());
    }

    @Test
    void backendThatGreetsButNeverAnswersEhloTimesOut() {
        CompletableFuture<BackendSession> ready = greet();
        advance(Duration.ofSeconds(20));
        peer.says("220 mx1.test ESMTP\r\n");
        // EHLO has its own full timeout, from when it was sent.
        advance(Duration.ofSeconds(20));
        assertFalse(ready.isDone());
        advance(Duration.ofSeconds(10));
        assertEquals(BackendException.Kind.TIMEOUT, EmbeddedBackend.failure(ready).kind());
    }

    // --- the connection closing

    @Test
    void closeBeforeTheGreetingFailsAsLost() {
        CompletableFuture<BackendSession> ready = greet();
        channel.close();
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(ready).kind());
    }

    @Test
    void closeDuringEhloFailsAsLost() {
        CompletableFuture<BackendSession> ready = greet();
        peer.says("220 mx1.test ESMTP\r\n");
        peer.says("250-mx1.test\r\n250-PIPELI");
        channel.close();
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(ready).kind());
    }

    @Test
    void closeDuringHeloFailsAsLost() {
        CompletableFuture<BackendSession> ready = greet();
        peer.says("220 mx1.test SMTP\r\n502 5.5.1 no EHLO here\r\n");
        channel.close();
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(ready).kind());
    }

    @Test
    void alreadyClosedConnectionFailsAtOnce() {
        channel.close();
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(greet()).kind());
    }

    // --- PROXY v2 for forward_client_ip: proxy_v2

    @Test
    void proxyV2HeaderGoesFirstAndBindsTheConnection() {
        ForwardedClient forwarded = new ForwardedClient(
                new ClientAddress(new InetSocketAddress("203.0.113.7", 40000), new InetSocketAddress("10.0.0.5", 50000)),
                null, "ESMTP", new InetSocketAddress("198.51.100.1", 25));
        CompletableFuture<BackendSession> ready = client.greet(session, forwarded, TIMEOUT, true);
        List<String> before = peer.writes();
        assertEquals(1, before.size(), "the header alone, before the greeting");
        HAProxyMessage header = decodeProxyHeader(before.get(0));
        try {
            assertEquals(HAProxyProtocolVersion.V2, header.protocolVersion());
            assertEquals(HAProxyCommand.PROXY, header.command());
            assertEquals(HAProxyProxiedProtocol.TCP4, header.proxiedProtocol());
            assertEquals("203.0.113.7", header.sourceAddress());
            assertEquals(40000, header.sourcePort());
            assertEquals("198.51.100.1", header.destinationAddress());
            assertEquals(25, header.destinationPort());
        } finally {
            header.release();
        }
        assertNull(channel.pipeline().get(HAProxyMessageEncoder.class), "the encoder goes once the header is out");
        assertEquals("203.0.113.7 -> 198.51.100.1:25", session.boundTo());
        peer.says("220 mx1.test ESMTP\r\n");
        assertEquals(List.of("EHLO gw.test\r\n"), peer.writes());
        peer.says("250 mx1.test\r\n");
        assertSame(session, ready.join());
    }

    @Test
    void proxyV2HeaderForAnIpv6Client() {
        ForwardedClient forwarded = new ForwardedClient(
                ClientAddress.direct(new InetSocketAddress("2001:db8::7", 40000)), "client.test", "ESMTP",
                new InetSocketAddress("198.51.100.1", 25));
        client.greet(session, forwarded, TIMEOUT, true);
        HAProxyMessage header = decodeProxyHeader(peer.writes().get(0));
        try {
            assertEquals(HAProxyProxiedProtocol.TCP6, header.proxiedProtocol());
            assertEquals("2001:db8:0:0:0:0:0:7", header.sourceAddress());
            // An IPv4 listener address cannot stand in a TCP6 header: the unspecified address does.
            assertEquals("0:0:0:0:0:0:0:0", header.destinationAddress());
        } finally {
            header.release();
        }
    }

    private static HAProxyMessage decodeProxyHeader(String wire) {
        EmbeddedChannel decoder = new EmbeddedChannel(new HAProxyMessageDecoder());
        decoder.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
        HAProxyMessage header = decoder.readInbound();
        decoder.finishAndReleaseAll();
        return header;
    }

    // --- what a health probe's MAIL FROM meets

    @Test
    void greetedSessionCarriesCommandsOnTheSameConnection() {
        CompletableFuture<BackendSession> ready = greet();
        peer.says("220 mx1.test ESMTP\r\n");
        peer.says("250 mx1.test\r\n");
        CompletableFuture<Reply> mail = ready.join().send("MAIL FROM:<probe@mxgate.invalid>", TIMEOUT);
        peer.says("452 4.3.1 Insufficient system resources\r\n");
        assertEquals(452, mail.join().code());
        assertEquals(List.of("EHLO gw.test\r\n", "MAIL FROM:<probe@mxgate.invalid>\r\n"), peer.writes());
    }
}
