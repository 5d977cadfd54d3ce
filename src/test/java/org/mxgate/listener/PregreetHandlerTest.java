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
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mxgate.config.PregreetConfig;
import org.mxgate.net.ClientAddress;

/**
 * The pregreet test on an {@link EmbeddedChannel} with a frozen clock: the session starts after
 * the delay and not before, an early byte gets 554 5.5.1 and remembers the real client, a
 * remembered client gets 554 5.3.2 at once, the teaser line goes out first, and a balancer's
 * own health check is not held.
 */
class PregreetHandlerTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.7", 40000);
    private static final InetSocketAddress BALANCER = new InetSocketAddress("10.0.0.5", 51000);

    /** What reaches the session's place in the pipeline. */
    private static final class Session extends ChannelInboundHandlerAdapter {
        boolean active;
        final List<Object> events = new ArrayList<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            events.add(event);
        }
    }

    private final EarlyTalkers talkers = new EarlyTalkers(Duration.ofHours(1));
    private final Session session = new Session();
    private final MockTicker clock = Ticker.newMockTicker();
    private EmbeddedChannel channel;

    private EmbeddedChannel connect(boolean teaser, ClientAddress client, boolean behindBalancer) throws Exception {
        channel = EmbeddedChannel.builder().register(false).hasDisconnect(true).ticker(clock).build();
        channel.attr(ProxyHeaderHandler.CLIENT).set(client);
        channel.pipeline().addLast(new PregreetHandler(new PregreetConfig(Duration.ofSeconds(3), teaser,
                Duration.ofHours(1)), "internet", "mx.example.test", talkers, behindBalancer), session);
        channel.register();
        return channel;
    }

    private EmbeddedChannel connect() throws Exception {
        return connect(false, ClientAddress.direct(CLIENT), false);
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    @Test
    void patientClientIsGreetedAfterTheDelayByATimerNotAWait() throws Exception {
        connect();
        assertFalse(session.active, "no session, so no banner, before the delay");
        clock.advance(2999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(session.active);
        clock.advance(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(session.active);
        assertNull(channel.pipeline().get(PregreetHandler.class), "gone once the session started");
        assertNull(channel.readOutbound());
    }

    @Test
    void earlyTalkerGetsProtocolErrorIsClosedAndRemembered() throws Exception {
        connect();
        ByteBuf early = Unpooled.copiedBuffer("EHLO bot.test\r\n", StandardCharsets.US_ASCII);
        channel.writeInbound(early);
        assertEquals(0, early.refCnt());
        assertEquals("554 5.5.1 Protocol error\r\n", outbound());
        assertFalse(channel.isOpen());
        clock.advance(3, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(session.active, "a refused client never gets a session");
        assertTrue(talkers.isRemembered(CLIENT.getAddress()));
    }

    @Test
    void rememberedClientIsRefusedAtOnce() throws Exception {
        talkers.remember(CLIENT.getAddress());
        connect();
        assertEquals("554 5.3.2 Service currently unavailable\r\n", outbound());
        assertFalse(channel.isOpen());
        assertFalse(session.active);
    }

    @Test
    void teaserGoesOutAtOnceAndTheSessionEndsTheGreeting() throws Exception {
        connect(true, ClientAddress.direct(CLIENT), false);
        assertEquals("220-mx.example.test ESMTP\r\n", outbound());
        clock.advance(3, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(session.active);
    }

    @Test
    void talkingAfterTheTeaserIsTalkingEarly() throws Exception {
        connect(true, ClientAddress.direct(CLIENT), false);
        assertEquals("220-mx.example.test ESMTP\r\n", outbound());
        channel.writeInbound(Unpooled.copiedBuffer("EHLO bot.test\r\n", StandardCharsets.US_ASCII));
        assertEquals("554 5.5.1 Protocol error\r\n", outbound());
        assertFalse(channel.isOpen());
    }

    @Test
    void theRealClientBehindABalancerIsRememberedNotTheBalancer() throws Exception {
        connect(false, new ClientAddress(CLIENT, BALANCER), true);
        assertFalse(session.active, "a proxied client is held like any other");
        channel.writeInbound(Unpooled.copiedBuffer("EHLO", StandardCharsets.US_ASCII));
        assertEquals("554 5.5.1 Protocol error\r\n", outbound());
        assertTrue(talkers.isRemembered(CLIENT.getAddress()));
        assertFalse(talkers.isRemembered(BALANCER.getAddress()));
    }

    @Test
    void balancersOwnHealthCheckIsGreetedAtOnce() throws Exception {
        // PROXY v2 LOCAL: the client is the balancer itself, with no balancer in front of it.
        connect(false, ClientAddress.direct(BALANCER), true);
        assertTrue(session.active);
    }

    @Test
    void stoppingGatewayClosesAWaitingClientWith421() throws Exception {
        connect();
        channel.pipeline().fireUserEventTriggered(SessionDrain.INSTANCE);
        assertEquals("421 4.3.2 mx.example.test Service shutting down, closing transmission channel\r\n", outbound());
        assertFalse(channel.isOpen());
        assertFalse(talkers.isRemembered(CLIENT.getAddress()), "a drained client did nothing wrong");
    }

    private String outbound() {
        ByteBuf out = channel.readOutbound();
        try {
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
        }
    }
}
