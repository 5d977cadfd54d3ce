package org.mxgate.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxgate.config.AccessConfig;
import org.mxgate.config.ClientLimitsConfig;
import org.mxgate.config.LimitsConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.limits.ClientLimits;
import org.mxgate.limits.ListenerLimits;
import org.mxgate.limits.LocalCounters;
import org.mxgate.net.ClientAddress;
import org.mxgate.net.NetworkSet;
import org.mxgate.policy.Policy;

/**
 * The limiter in a pipeline: an admitted connection goes on to the session and gives its slot
 * back when it closes; a refused one gets the 421 as bytes and is closed, and the session never
 * starts nor sees what the client sent. Counted on the address the PROXY header named.
 */
class ConnectionLimiterTest {

    private static final ClientLimitsConfig TWO_PER_ADDRESS = new ClientLimitsConfig(2, 0, 0, 0, 0, 0, 0,
            Duration.ofMinutes(1), 32, 64, NetworkSet.EMPTY, 0);
    private static final Policy POLICY = new Policy(new PolicyConfig("internet", Path.of("policies/internet.yml"),
            List.of("example.test"), NetworkSet.EMPTY, Map.of("*", "mailbox"), LimitsConfig.DEFAULTS, false,
            AccessConfig.NONE, PolicyConfig.Dnsbl.OFF, PolicyConfig.Auth.OFF, false, TWO_PER_ADDRESS));

    private final ListenerLimits limits = new ClientLimits(new LocalCounters(), "mx.example.test", 0).forListener("internet");

    /** Stands for the session: what reaches it. */
    private static final class Session extends ChannelInboundHandlerAdapter {
        boolean active;
        final List<Object> read = new ArrayList<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            read.add(msg);
        }
    }

    @Test
    void anAdmittedConnectionReachesTheSessionAndGivesItsSlotBackWhenItCloses() throws Exception {
        Session session = new Session();
        EmbeddedChannel channel = connect("203.0.113.7", "10.0.0.5", session);
        assertTrue(session.active);
        assertNull(channel.pipeline().get(ConnectionLimiter.class), "the limiter left the pipeline");
        assertEquals(1, limits.sessionsFrom(ip("203.0.113.7"), TWO_PER_ADDRESS), "counted on the real client");
        assertEquals(0, limits.sessionsFrom(ip("10.0.0.5"), TWO_PER_ADDRESS), "never on the balancer");
        channel.close();
        assertEquals(0, limits.sessionsFrom(ip("203.0.113.7"), TWO_PER_ADDRESS));
        assertEquals(0, limits.openSessions());
    }

    @Test
    void aRefusedConnectionGets421AndIsClosedBeforeTheSessionStarts() throws Exception {
        connect("203.0.113.7", "10.0.0.5", new Session());
        connect("203.0.113.7", "10.0.0.5", new Session());
        Session third = new Session();
        EmbeddedChannel channel = connect("203.0.113.7", "10.0.0.5", third);
        ByteBuf written = channel.readOutbound();
        assertEquals("421 4.7.0 mx.example.test Error: too many connections from 203.0.113.7, try again later\r\n",
                written.toString(StandardCharsets.US_ASCII));
        written.release();
        assertFalse(channel.isOpen());
        assertFalse(third.active);
        assertEquals(2, limits.sessionsFrom(ip("203.0.113.7"), TWO_PER_ADDRESS), "the refusal holds no slot");
        assertTrue(connect("198.51.100.1", "10.0.0.5", new Session()).isOpen(), "another client behind the same balancer");
    }

    @Test
    void whatARefusedClientSendsNeverReachesTheSession() throws Exception {
        connect("203.0.113.7", "10.0.0.5", new Session());
        connect("203.0.113.7", "10.0.0.5", new Session());
        Session third = new Session();
        EmbeddedChannel channel = new EmbeddedChannel(false, true);
        channel.attr(ProxyHeaderHandler.CLIENT).set(new ClientAddress(new InetSocketAddress("203.0.113.7", 4000),
                new InetSocketAddress("10.0.0.5", 5000)));
        ConnectionLimiter limiter = new ConnectionLimiter(limits, () -> POLICY);
        channel.pipeline().addLast(limiter, third);
        channel.register();
        ByteBuf early = Unpooled.copiedBuffer("EHLO early.test\r\n", StandardCharsets.US_ASCII);
        limiter.channelRead(channel.pipeline().context(limiter), early);
        assertEquals(0, early.refCnt(), "released");
        assertEquals(List.of(), third.read);
        ByteBuf refusal = channel.readOutbound();
        refusal.release();
    }

    private EmbeddedChannel connect(String client, String balancer, Session session) throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(false, true);
        channel.attr(ProxyHeaderHandler.CLIENT).set(new ClientAddress(new InetSocketAddress(client, 40000),
                new InetSocketAddress(balancer, 50000)));
        channel.pipeline().addLast(new ConnectionLimiter(limits, () -> POLICY), session);
        channel.register();
        return channel;
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }
}
