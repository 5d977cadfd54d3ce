package org.mxgate.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxgate.net.ClientAddress;

/**
 * The PROXY header on a trusted balancer's connection, without a socket: the three handlers
 * ListenerInitializer puts in front of the session for a trusted peer, in an EmbeddedChannel with
 * a frozen clock, fed v1 and v2 headers whole and one byte at a time. A recorder stands where the
 * session does, to show when it would greet, as whom, and what reaches it.
 */
class ProxyHeaderHandlerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final InetSocketAddress BALANCER = new InetSocketAddress("10.0.0.5", 50000);

    /** Stands where SessionHandler does: what it would see of the connection. */
    private static final class Session extends ChannelInboundHandlerAdapter {
        private final List<String> events = new ArrayList<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // SessionHandler reads the client when it starts: it must be there by then.
            ClientAddress client = ctx.channel().attr(ProxyHeaderHandler.CLIENT).get();
            events.add("greet " + (client == null ? "nobody" : client.real() + " via " + client.balancer()));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            events.add("read " + bytes.toString(StandardCharsets.US_ASCII));
            bytes.release();
        }
    }

    private final Session session = new Session();
    private final EmbeddedChannel channel;

    ProxyHeaderHandlerTest() {
        channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return BALANCER;
            }
        };
        // Frozen before the handlers see the connection start, so the header deadline moves only
        // when a test moves it.
        channel.freezeTime();
        // As ListenerInitializer builds it for a peer in proxy_protocol.trusted.
        channel.pipeline().addLast(new StrictProxyV1Handler(), new HAProxyMessageDecoder(),
                new ProxyHeaderHandler(TIMEOUT), session);
        channel.pipeline().fireChannelActive();
    }

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
    }

    private void balancerSends(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    /** Feeds one byte at a time while the connection is open; returns how many went in. */
    private int balancerSendsOneByteAtATime(byte[] bytes) {
        int written = 0;
        while (channel.isOpen() && written < bytes.length) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {bytes[written++]}));
        }
        return written;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2(HAProxyCommand command, HAProxyProxiedProtocol protocol, String source, String destination) {
        boolean ports = protocol.transportProtocol() == HAProxyProxiedProtocol.TransportProtocol.STREAM
                && protocol.addressFamily() != HAProxyProxiedProtocol.AddressFamily.AF_UNIX;
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(new HAProxyMessage(HAProxyProtocolVersion.V2, command, protocol, source, destination,
                ports ? 40000 : 0, ports ? 25 : 0));
        ByteBuf header = encoder.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(header);
        header.release();
        encoder.finishAndReleaseAll();
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private void advance(Duration time) {
        channel.advanceTimeBy(time.toMillis(), TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
    }

    private void assertClosedWithoutABanner() {
        assertFalse(channel.isOpen());
        assertEquals(List.of(), session.events, "the session never started");
        assertNull(channel.attr(ProxyHeaderHandler.CLIENT).get());
    }

    // --- headers that name the client

    @Test
    void v1HeaderOneByteAtATimeStartsTheSessionWithItsLastByte() {
        byte[] header = ascii("PROXY TCP4 198.18.0.7 192.0.2.25 40000 25\r\n");
        balancerSendsOneByteAtATime(Arrays.copyOf(header, header.length - 1));
        assertEquals(List.of(), session.events, "no banner before the header is whole");
        balancerSends(new byte[] {'\n'});
        assertEquals(List.of("greet /198.18.0.7:40000 via /10.0.0.5:50000"), session.events);
        assertEquals(new ClientAddress(new InetSocketAddress("198.18.0.7", 40000), BALANCER),
                channel.attr(ProxyHeaderHandler.CLIENT).get());
        assertNull(channel.pipeline().get(ProxyHeaderHandler.class), "removed itself");
        assertNull(channel.pipeline().get(HAProxyMessageDecoder.class), "Netty's decoder removed itself");
        balancerSendsOneByteAtATime(ascii("EHLO client.test\r\n"));
        List<String> after = session.events.subList(1, session.events.size());
        assertEquals(18, after.size(), "each byte is handed on as it comes");
        assertEquals("EHLO client.test\r\n", String.join("", after).replace("read ", ""));
    }

    @Test
    void v2HeaderOneByteAtATimeStartsTheSessionWithItsLastByte() {
        byte[] header = v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP6, "2001:db8::7", "2001:db8::25");
        balancerSendsOneByteAtATime(Arrays.copyOf(header, header.length - 1));
        assertEquals(List.of(), session.events, "no banner before the header is whole");
        balancerSends(new byte[] {header[header.length - 1]});
        assertEquals("2001:db8:0:0:0:0:0:7", channel.attr(ProxyHeaderHandler.CLIENT).get().ip());
        assertEquals(1, session.events.size());
        assertTrue(channel.isActive());
    }

    @Test
    void v2HeaderAndTheClientsFirstLineInOneReadGreetFirst() {
        balancerSends(concat(v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "203.0.113.7", "192.0.2.25"),
                ascii("EHLO client.test\r\n")));
        // The session has started, and knows its client, before the first line reaches it.
        assertEquals(List.of("greet /203.0.113.7:40000 via /10.0.0.5:50000", "read EHLO client.test\r\n"), session.events);
    }

    @Test
    void v1HeaderSplitAcrossTwoReadsWithTheFirstLineBehindIt() {
        balancerSends(ascii("PROXY TCP4 198.18.0.7 192.0"));
        balancerSends(ascii(".2.25 40000 25\r\nEHLO client.test\r\n"));
        assertEquals(List.of("greet /198.18.0.7:40000 via /10.0.0.5:50000", "read EHLO client.test\r\n"), session.events);
    }

    // --- headers that keep the socket address (proxy-protocol.txt 2.1 and 2.2)

    @Test
    void v2LocalKeepsTheBalancersAddress() {
        // A balancer's own health check: its connection, no client behind it.
        balancerSendsOneByteAtATime(v2(HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN, null, null));
        assertEquals(ClientAddress.direct(BALANCER), channel.attr(ProxyHeaderHandler.CLIENT).get());
        assertEquals(List.of("greet /10.0.0.5:50000 via null"), session.events);
    }

    @Test
    void v1UnknownKeepsTheBalancersAddress() {
        balancerSendsOneByteAtATime(ascii("PROXY UNKNOWN\r\n"));
        assertEquals(ClientAddress.direct(BALANCER), channel.attr(ProxyHeaderHandler.CLIENT).get());
        assertEquals(1, session.events.size());
    }

    // --- no header, or a bad one: closed, and no banner

    @Test
    void noHeaderWithinTheTimeoutClosesWithoutABanner() {
        advance(TIMEOUT.minusMillis(1));
        assertTrue(channel.isOpen());
        advance(Duration.ofMillis(1));
        assertClosedWithoutABanner();
    }

    @Test
    void halfAHeaderWhenTheTimeoutComesClosesWithoutABanner() {
        balancerSendsOneByteAtATime(ascii("PROXY TCP4 198.18.0.7 "));
        advance(TIMEOUT);
        assertClosedWithoutABanner();
    }

    @Test
    void timeoutNoLongerAppliesOnceTheHeaderIsIn() {
        balancerSends(ascii("PROXY TCP4 198.18.0.7 192.0.2.25 40000 25\r\n"));
        advance(TIMEOUT.multipliedBy(2));
        assertTrue(channel.isActive());
        assertEquals(1, session.events.size());
    }

    @Test
    void balancerThatHangsUpMidHeaderLeavesNoDeadlineBehind() {
        balancerSendsOneByteAtATime(ascii("PROXY TCP4 "));
        channel.close();
        assertClosedWithoutABanner();
        assertEquals(-1, channel.runScheduledPendingTasks(), "nothing left scheduled");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // The client speaks SMTP first: from a trusted peer the header is required.
        "EHLO client.test\r\n",
        // Not the grammar of proxy-protocol.txt 2.1 (StrictProxyV1Handler).
        "PROXY TCP4 198.18.0.07 192.0.2.25 40000 25\r\n",
        "PROXY TCP4 198.18.0.7 192.0.2.256 40000 25\r\n",
        // Netty's decoder: a v1 line it cannot read.
        "PROXY TCP4 2001:db8::7 192.0.2.25 40000 25\r\n",
    })
    void badV1HeaderClosesWithoutABannerAndNothingBehindItReachesTheSession(String line) {
        int written = balancerSendsOneByteAtATime(ascii(line + "EHLO client.test\r\n"));
        assertEquals(line.indexOf('\n') + 1, written, "closed at the end of the line");
        assertClosedWithoutABanner();
    }

    @Test
    void v2HeaderWithAnUnknownCommandClosesWithoutABanner() {
        byte[] header = v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "203.0.113.7", "192.0.2.25");
        // Byte 12 is version and command: 0x21 is v2 PROXY; 0x2F names no command.
        header[12] = 0x2F;
        balancerSendsOneByteAtATime(concat(header, ascii("EHLO client.test\r\n")));
        assertClosedWithoutABanner();
    }

    @Test
    void v2HeaderNamingAUnixSocketClosesWithoutABanner() {
        byte[] header = v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNIX_STREAM, "/run/client.sock", "/run/mx.sock");
        balancerSends(concat(header, ascii("EHLO client.test\r\n")));
        assertClosedWithoutABanner();
    }
}
