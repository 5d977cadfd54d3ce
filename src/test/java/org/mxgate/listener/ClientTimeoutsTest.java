package org.mxgate.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mxgate.config.LimitsConfig;
import org.mxgate.mail.Reply;
import org.mxgate.smtp.ReplyEncoder;
import org.mxgate.smtp.SmtpInput;
import org.mxgate.smtp.SmtpLineDecoder;

/**
 * The client's timeouts on a frozen clock: only complete commands and moving content count as
 * activity, a pause in content ends at data_block_timeout, a trickle of content at
 * min_data_rate, and every connection at max_session_time.
 */
class ClientTimeoutsTest {

    private static final LimitsConfig LIMITS = new LimitsConfig(1000, 10, 10, Duration.ofSeconds(20),
            Duration.ofSeconds(30), 500, Duration.ofMinutes(10));

    private final List<ClientTimeouts.Kind> expired = new ArrayList<>();
    private final SmtpLineDecoder decoder = new SmtpLineDecoder();
    private EmbeddedChannel channel;

    /** Stands where the session handler goes: answers every command, and starts content on DATA. */
    private final class Session extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Reply.of(220, null, "mx.test ESMTP"));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof SmtpInput.Line line && line.text().equals("DATA")) {
                decoder.enterData(1_000_000);
                ctx.writeAndFlush(Reply.of(354, null, "go ahead"));
            } else if (msg instanceof SmtpInput.Line || msg instanceof SmtpInput.BodyEnd) {
                ctx.writeAndFlush(Reply.of(250, "2.0.0", "Ok"));
            }
            if (msg instanceof SmtpInput.BodyChunk chunk) {
                chunk.bytes().release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ClientTimeouts.Expired e) {
                expired.add(e.kind());
            }
        }
    }

    private void connect() {
        channel = new EmbeddedChannel(false, true);
        channel.pipeline().addLast(decoder, ReplyEncoder.INSTANCE, new ClientTimeouts(LIMITS), new Session());
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        channel.freezeTime();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(out);
        }
    }

    /** Moves the clock in steps of a second, so the checks run when they would. */
    private void seconds(int n) {
        for (int i = 0; i < n; i++) {
            channel.advanceTimeBy(1, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void bytesWithoutALineEndAreNoActivity() {
        connect();
        send("NOOP ");
        for (int i = 0; i < 9; i++) {
            seconds(2);
            send("x");
        }
        seconds(1);
        assertEquals(List.of(), expired);
        seconds(1);
        assertEquals(List.of(ClientTimeouts.Kind.COMMAND), expired, "20 s after the greeting, whatever trickled in");
    }

    @Test
    void completeCommandsKeepTheClientAlive() {
        connect();
        for (int i = 0; i < 10; i++) {
            seconds(15);
            send("NOOP\r\n");
        }
        assertEquals(List.of(), expired, "150 s of commands, never 20 s without one");
        seconds(20);
        assertEquals(List.of(ClientTimeouts.Kind.COMMAND), expired);
    }

    @Test
    void aTrickleOfContentEndsAtTheMinimumRate() {
        connect();
        send("MAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n");
        for (int i = 0; i < 6; i++) {
            seconds(5);
            send("x");
        }
        // 6 bytes in 30 s: far below 500 bytes a second once data_block_timeout has passed.
        seconds(1);
        assertEquals(List.of(ClientTimeouts.Kind.DATA_RATE), expired);
    }

    @Test
    void contentAtADecentRateIsNotCutOff() {
        connect();
        send("DATA\r\n");
        String second = "y".repeat(1000) + "\r\n";
        for (int i = 0; i < 60; i++) {
            seconds(1);
            send(second);
        }
        send(".\r\n");
        assertEquals(List.of(), expired, "a minute of 1 KB a second");
        seconds(19);
        assertEquals(List.of(), expired, "after the dot, the command timeout again");
        seconds(1);
        assertEquals(List.of(ClientTimeouts.Kind.COMMAND), expired);
    }

    @Test
    void aPauseInContentEndsAtTheDataBlockTimeout() {
        connect();
        send("DATA\r\n" + "z".repeat(20_000) + "\r\n");
        seconds(29);
        assertEquals(List.of(), expired);
        seconds(1);
        assertEquals(List.of(ClientTimeouts.Kind.DATA_BLOCK), expired);
    }

    @Test
    void everyConnectionEndsAtTheSessionLimit() {
        connect();
        for (int i = 0; i < 40; i++) {
            seconds(15);
            send("NOOP\r\n");
        }
        assertEquals(List.of(ClientTimeouts.Kind.SESSION), expired, "10 minutes, however busy");
    }
}
