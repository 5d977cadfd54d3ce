package org.mxgate.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxgate.net.ClientAddress;

/**
 * The PROXY v1 grammar of proxy-protocol.txt 2.1, held to the letter in front of Netty's decoder:
 * the line table, then the pipeline a trusted connection gets, fed one byte at a time.
 */
class StrictProxyV1HandlerTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY TCP4 198.18.0.7 127.0.0.1 40000 25",
        "PROXY TCP4 0.0.0.0 255.255.255.255 0 65535",
        "PROXY TCP4 203.0.113.10 10.0.0.100 1 9",
        "PROXY TCP6 2001:db8::7 ::1 40000 25",
        "PROXY TCP6 2001:0DB8:0000:0000:0000:0000:0000:0007 ::1 40000 25",
        "PROXY TCP6 ::ffff:198.18.0.7 ::1 40000 25",
        "PROXY UNKNOWN",
        "PROXY UNKNOWN ffff:f...f:ffff anything at all",
    })
    void lineThatKeepsToTheGrammarPasses(String line) {
        assertNull(StrictProxyV1Handler.problem(line + "\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "leading zero in an octet       | PROXY TCP4 203.0.113.07 127.0.0.1 40000 25",
        "octal elsewhere                | PROXY TCP4 203.0.113.010 127.0.0.1 40000 25",
        "leading zero, destination      | PROXY TCP4 203.0.113.7 127.000.0.1 40000 25",
        "leading zero, source port      | PROXY TCP4 203.0.113.7 127.0.0.1 056324 25",
        "leading zero, destination port | PROXY TCP4 203.0.113.7 127.0.0.1 40000 025",
        "zero-led IPv4 tail of IPv6     | PROXY TCP6 ::ffff:203.0.113.07 ::1 40000 25",
        "octet over 255                 | PROXY TCP4 203.0.113.256 127.0.0.1 40000 25",
        "port over 65535                | PROXY TCP4 203.0.113.7 127.0.0.1 65536 25",
        "port with a sign               | PROXY TCP4 203.0.113.7 127.0.0.1 +4000 25",
        "hex octet                      | PROXY TCP4 0xcb.0.113.7 127.0.0.1 40000 25",
        "three octets                   | PROXY TCP4 203.0.113 127.0.0.1 40000 25",
        "two spaces                     | PROXY TCP4  203.0.113.7 127.0.0.1 40000 25",
        "trailing space                 | 'PROXY TCP4 203.0.113.7 127.0.0.1 40000 25 '",
        "tab for a space                | PROXY TCP4 203.0.113.7\t127.0.0.1 40000 25",
        "lower-case keyword             | proxy TCP4 203.0.113.7 127.0.0.1 40000 25",
        "UDP                            | PROXY UDP4 203.0.113.7 127.0.0.1 40000 25",
        "IPv4 under TCP6                | PROXY TCP6 203.0.113.7 127.0.0.1 40000 25",
    })
    void lineThatBreaksTheGrammarIsRefused(String what, String line) {
        assertNotNull(StrictProxyV1Handler.problem(line + "\r\n"), what);
    }

    @Test
    void bareLineEndsAreRefused() {
        assertNotNull(StrictProxyV1Handler.problem("PROXY TCP4 203.0.113.7 127.0.0.1 40000 25\n"));
        assertNotNull(StrictProxyV1Handler.problem("PROXY TCP4 203.0.113.7\r127.0.0.1 40000 25\r\n"));
        assertNotNull(StrictProxyV1Handler.problem("PROXY UNKNOWN \r\r\n"));
    }

    /** The trusted peer's pipeline as ListenerInitializer builds it, up to the PROXY handlers. */
    private static EmbeddedChannel trusted() {
        return new EmbeddedChannel(new StrictProxyV1Handler(), new HAProxyMessageDecoder(),
                new ProxyHeaderHandler(Duration.ofSeconds(30))) {
            @Override
            protected SocketAddress remoteAddress0() {
                // The balancer, as a socket would name it.
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
            }
        };
    }

    private static void oneByteAtATime(EmbeddedChannel channel, byte[] bytes) {
        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
    }

    private static String inbound(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        for (ByteBuf buf = channel.readInbound(); buf != null; buf = channel.readInbound()) {
            text.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return text.toString();
    }

    @Test
    void goodLineInSingleBytesNamesTheClientAndWhatFollowsReachesTheSession() {
        EmbeddedChannel channel = trusted();
        oneByteAtATime(channel, "PROXY TCP4 198.18.0.7 127.0.0.1 40000 25\r\nEHLO client.test\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        ClientAddress client = channel.attr(ProxyHeaderHandler.CLIENT).get();
        assertEquals("198.18.0.7", client.ip());
        assertEquals("EHLO client.test\r\n", inbound(channel));
        assertNull(channel.pipeline().get(StrictProxyV1Handler.class), "removed itself");
        assertFalse(channel.finish());
    }

    @Test
    void lineAndSessionBytesInOneWritePassTogether() {
        EmbeddedChannel channel = trusted();
        channel.writeInbound(Unpooled.copiedBuffer("PROXY TCP6 2001:db8::7 ::1 40000 25\r\nEHLO client.test\r\n",
                StandardCharsets.US_ASCII));
        assertEquals("2001:db8:0:0:0:0:0:7", channel.attr(ProxyHeaderHandler.CLIENT).get().ip());
        assertEquals("EHLO client.test\r\n", inbound(channel));
        assertFalse(channel.finish());
    }

    @Test
    void v2HeaderPassesUntouched() {
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP4, "203.0.113.7", "127.0.0.1", 40000, 25));
        ByteBuf header = encoder.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(header);
        header.release();
        EmbeddedChannel channel = trusted();
        oneByteAtATime(channel, bytes);
        assertEquals("203.0.113.7", channel.attr(ProxyHeaderHandler.CLIENT).get().ip());
        assertFalse(channel.finish());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY TCP4 203.0.113.07 127.0.0.1 40000 25\r\n",
        "PROXY TCP4 203.0.113.010 127.0.0.1 40000 25\r\n",
        "PROXY TCP4 203.0.113.7 127.0.0.1 056324 25\r\n",
        "PROXY TCP4 203.0.113.7 127.0.0.1 40000 25\nEHLO client.test\r\n",
    })
    void badLineClosesTheConnectionBeforeAnythingReachesTheSession(String sent) {
        EmbeddedChannel channel = trusted();
        byte[] bytes = sent.getBytes(StandardCharsets.US_ASCII);
        int written = 0;
        while (channel.isOpen() && written < bytes.length) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {bytes[written++]}));
        }
        // ProxyHeaderHandler logs the refusal and closes, at the end of the line.
        assertFalse(channel.isOpen());
        assertEquals(sent.indexOf('\n') + 1, written);
        assertNull(channel.attr(ProxyHeaderHandler.CLIENT).get());
        assertEquals("", inbound(channel));
    }

    @Test
    void lineWithoutAnEndWithinTheLimitIsRefused() {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictProxyV1Handler());
        HAProxyProtocolException refused = assertThrows(HAProxyProtocolException.class, () ->
                channel.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 " + "1".repeat(200), StandardCharsets.US_ASCII)));
        assertTrue(refused.getMessage().contains("no CRLF within 107 bytes"), refused.getMessage());
        channel.finishAndReleaseAll();
    }
}
