package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's bytes into command lines and message content, fed in deliberately small chunks
 * as Netty's codec tests do: only CRLF.CRLF ends DATA, no smuggled command is ever decoded,
 * content comes out in wire form up to the first bare CR or LF, and a paused decoder keeps
 * reading from the socket until 64 KB wait.
 */
class SmtpLineDecoderTest {

    private static final String SMUGGLED = "MAIL FROM:<admin@example.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\n"
            + "Subject: smuggled\r\n\r\nevil\r\n.\r\n";

    /** What one DATA phase produced: content bytes, refusals, the end, and anything decoded after it. */
    private record Decoded(byte[] content, List<DataResult.Refusal> refusals, DataResult end, List<SmtpInput> after) {
    }

    private static Decoded data(String input, int chunk, long maxSize) {
        SmtpLineDecoder decoder = new SmtpLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        decoder.enterData(maxSize);
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += chunk) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(chunk, bytes.length - i)));
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        List<DataResult.Refusal> refusals = new ArrayList<>();
        DataResult end = null;
        List<SmtpInput> after = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            if (end != null) {
                after.add((SmtpInput) o);
            } else if (o instanceof SmtpInput.BodyChunk c) {
                content.writeBytes(ByteBufUtil.getBytes(c.bytes()));
                c.bytes().release();
            } else if (o instanceof SmtpInput.BodyRefused r) {
                refusals.add(r.reason());
            } else if (o instanceof SmtpInput.BodyEnd e) {
                end = e.result();
            } else {
                after.add((SmtpInput) o);
            }
        }
        channel.finishAndReleaseAll();
        return new Decoded(content.toByteArray(), refusals, end, after);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 4096})
    void contentPassesInWireFormUntilTheEndAndTheNextCommandFollows(int chunk) {
        String body = "Subject: hi\r\n\r\n..leading dot stays stuffed\r\n.x\r\nlast line";
        Decoded d = data(body + "\r\n.\r\nQUIT\r\n", chunk, 1_000_000);
        assertEquals(body + "\r\n", new String(d.content(), StandardCharsets.ISO_8859_1),
                "wire form, as received, up to and including the last line's CRLF");
        assertTrue(d.refusals().isEmpty());
        assertTrue(d.end().isClean());
        assertEquals(List.of(new SmtpInput.Line("QUIT")), d.after());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r.\r\n", "\n.\r", "\r\n.\r"})
    void smugglingSequencesNeverEndTheMessageNorDecodeACommand(String fakeEnd) {
        for (int chunk : new int[] {1, 2, 3, 4096}) {
            String input = "Subject: innocent\r\n\r\nhello" + fakeEnd + SMUGGLED + "QUIT\r\n";
            Decoded d = data(input, chunk, 1_000_000);
            assertEquals(List.of(DataResult.Refusal.BARE_LINE_ENDING), d.refusals(), fakeEnd + " chunk " + chunk);
            assertEquals(DataResult.Refusal.BARE_LINE_ENDING, d.end().refusal());
            String content = new String(d.content(), StandardCharsets.ISO_8859_1);
            assertEquals(input.substring(0, firstBareLineEnding(input)), content,
                    "content stops at the first bare CR or LF; nothing after it reaches a backend");
            // The only command decoded is the one after the real end of data.
            assertEquals(List.of(new SmtpInput.Line("QUIT")), d.after(), fakeEnd + " chunk " + chunk);
        }
    }

    private static int firstBareLineEnding(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean crlf = c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n';
            boolean lfAfterCr = c == '\n' && i > 0 && s.charAt(i - 1) == '\r';
            if ((c == '\r' && !crlf) || (c == '\n' && !lfAfterCr)) {
                return i;
            }
        }
        return s.length();
    }

    @Test
    void contentOverTheLimitIsRefusedOnceAndStillEndsAtTheDot() {
        Decoded d = data("Subject: big\r\n\r\n" + "x".repeat(100) + "\r\n.\r\nNOOP\r\n", 3, 50);
        assertEquals(List.of(DataResult.Refusal.TOO_BIG), d.refusals());
        assertEquals(DataResult.Refusal.TOO_BIG, d.end().refusal());
        assertTrue(d.content().length <= 50);
        assertEquals(List.of(new SmtpInput.Line("NOOP")), d.after());
    }

    @Test
    void lineOver512OctetsIsReportedAndDroppedAndTheNextLineIsRead() {
        EmbeddedChannel channel = new EmbeddedChannel(new SmtpLineDecoder());
        byte[] input = ("MAIL FROM:<" + "a".repeat(600) + "@x.test>\r\nNOOP\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < input.length; i += 100) {
            channel.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(100, input.length - i)));
        }
        assertInstanceOf(SmtpInput.LineTooLong.class, channel.readInbound());
        assertEquals(new SmtpInput.Line("NOOP"), channel.readInbound());
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @Test
    void pausedDecoderKeepsReadingUntil64KbWaitThenStopsAndResumesInOrder() {
        SmtpLineDecoder decoder = new SmtpLineDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        decoder.pause();
        channel.writeInbound(Unpooled.copiedBuffer("MAIL FROM:<a@x.test>\r\nRCPT TO:<b@x.test>\r\n", StandardCharsets.US_ASCII));
        assertNull(channel.readInbound(), "nothing is decoded while paused");
        assertTrue(channel.config().isAutoRead(), "a little pipelined input does not stop reading");

        byte[] noops = "NOOP\r\n".repeat(SmtpLineDecoder.PAUSED_BUFFER_LIMIT / 6 + 1).getBytes(StandardCharsets.US_ASCII);
        channel.writeInbound(Unpooled.wrappedBuffer(noops));
        assertFalse(channel.config().isAutoRead(), "past the limit, TCP pushes back");

        decoder.resume();
        assertTrue(channel.config().isAutoRead());
        assertEquals(new SmtpInput.Line("MAIL FROM:<a@x.test>"), channel.readInbound());
        assertEquals(new SmtpInput.Line("RCPT TO:<b@x.test>"), channel.readInbound());
        assertEquals(new SmtpInput.Line("NOOP"), channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @Test
    void repliesTheClientDoesNotReadStopDecodingAndReadingUntilItTakesThem() {
        SmtpLineDecoder decoder = new SmtpLineDecoder();
        List<String> answered = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        // 128 bytes of unsent replies make the channel unwritable, as 64 KB do on a socket.
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(64, 128));
        channel.pipeline().addLast(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                answered.add(((SmtpInput.Line) msg).text());
                ctx.write(Unpooled.copiedBuffer("250 2.0.0 Ok\r\n", StandardCharsets.US_ASCII));
            }
        });
        int commands = 1000;
        channel.writeInbound(Unpooled.copiedBuffer("NOOP\r\n".repeat(commands), StandardCharsets.US_ASCII));
        int firstBatch = answered.size();
        assertTrue(firstBatch > 0 && firstBatch <= 10, "stops once 128 bytes of replies wait: " + firstBatch);
        assertFalse(channel.isWritable());
        assertFalse(channel.config().isAutoRead(), "and reads nothing more from the socket");

        int rounds = 0;
        while (answered.size() < commands && rounds++ < commands) {
            int before = answered.size();
            channel.flush();   // the client reads its replies
            channel.runPendingTasks();
            assertTrue(answered.size() > before, "reading goes on once the replies are taken");
            assertTrue(answered.size() - before <= 10, "a bounded batch each time");
        }
        assertEquals(commands, answered.size());
        assertTrue(answered.stream().allMatch("NOOP"::equals));
        channel.flush();
        channel.runPendingTasks();
        assertTrue(channel.config().isAutoRead(), "reading is on again when everything was taken");
        channel.finishAndReleaseAll();
    }

    @Test
    void contentIsByteExactForEightBitInput() {
        byte[] eightBit = "Subject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 \u7528\u6237\r\n".getBytes(StandardCharsets.UTF_8);
        Decoded d = data(new String(eightBit, StandardCharsets.ISO_8859_1) + ".\r\n", 2, 1_000_000);
        assertArrayEquals(eightBit, d.content());
    }

    private static List<SmtpInput> lines(SmtpLineDecoder decoder, byte[] input, int chunk) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        for (int i = 0; i < input.length; i += chunk) {
            channel.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(chunk, input.length - i)));
        }
        List<SmtpInput> decoded = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            decoded.add((SmtpInput) o);
        }
        channel.finishAndReleaseAll();
        return decoded;
    }

    // RFC 4954 4: an AUTH line may be 12,288 octets with its CRLF; any other command line 512.
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100, 4096, 20_000})
    void authLinesMayBe12288OctetsOtherCommandLines512(int chunk) {
        String auth = "auth PLAIN " + "A".repeat(SmtpLineDecoder.MAX_AUTH_LINE - 13);
        String overAuth = "AUTH PLAIN " + "A".repeat(SmtpLineDecoder.MAX_AUTH_LINE - 12);
        String noop = "NOOP " + "A".repeat(SmtpLineDecoder.MAX_LINE - 7);
        String overNoop = "NOOP " + "A".repeat(SmtpLineDecoder.MAX_LINE - 6);
        String input = auth + "\r\n" + overAuth + "\r\n" + noop + "\r\n" + overNoop + "\r\n" + "AUTHX " + "A".repeat(600)
                + "\r\nQUIT\r\n";
        assertEquals(List.of(new SmtpInput.Line(auth), new SmtpInput.LineTooLong(SmtpLineDecoder.MAX_AUTH_LINE),
                        new SmtpInput.Line(noop), new SmtpInput.LineTooLong(SmtpLineDecoder.MAX_LINE),
                        new SmtpInput.LineTooLong(SmtpLineDecoder.MAX_LINE), new SmtpInput.Line("QUIT")),
                lines(new SmtpLineDecoder(), input.getBytes(StandardCharsets.US_ASCII), chunk));
    }

    // RFC 4954 4: inside an AUTH exchange every line is a SASL response of up to 12,288 octets.
    @ParameterizedTest
    @ValueSource(ints = {7, 100, 20_000})
    void saslResponsesMayBe12288OctetsWhileTheExchangeRuns(int chunk) {
        String response = "A".repeat(SmtpLineDecoder.MAX_AUTH_LINE - 2);
        String over = "A".repeat(SmtpLineDecoder.MAX_AUTH_LINE - 1);
        SmtpLineDecoder decoder = new SmtpLineDecoder();
        // As the session handler does: the limit follows the session after each line.
        InputTranscript transcript = new InputTranscript(event -> decoder.authExchange(event.equals("line AUTH PLAIN")));
        EmbeddedChannel channel = new EmbeddedChannel(decoder, transcript);
        String input = "AUTH PLAIN\r\n" + response + "\r\n" + response + "\r\n"
                + "AUTH PLAIN\r\n" + over + "\r\n" + response + "\r\nQUIT\r\n";
        InputTranscript.feed(channel, input, InputTranscript.every(chunk, input.length()));
        assertEquals(List.of("line AUTH PLAIN", "line " + response, "too long",
                "line AUTH PLAIN", "too long", "too long", "line QUIT"), transcript.events());
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4096})
    void bytesThatAreNotUtf8AreFlaggedAndKeptOneCharPerByte(int chunk) {
        byte[] latin1 = "MAIL FROM:<j\u00f6rg@x.test> SMTPUTF8\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(new SmtpInput.Line("MAIL FROM:<j\u00f6rg@x.test> SMTPUTF8", false)),
                lines(new SmtpLineDecoder(), latin1, chunk));
        // Overlong "/" (C0 AF), a UTF-16 surrogate (ED A0 80), a cut sequence (E2 82), past U+10FFFF (F4 90 80 80).
        for (String bad : new String[] {"\u00c0\u00af", "\u00ed\u00a0\u0080", "\u00e2\u0082", "\u00f4\u0090\u0080\u0080"}) {
            byte[] bytes = ("EHLO " + bad + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(List.of(new SmtpInput.Line("EHLO " + bad, false)), lines(new SmtpLineDecoder(), bytes, chunk));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4096})
    void utf8LinesDecodeAsTheyAre(int chunk) {
        // A U+FFFD the client sent is text like any other, not a sign of a bad byte.
        String text = "MAIL FROM:<j\u00f6rg\ufffd\u7528@x.test> SMTPUTF8";
        assertEquals(List.of(new SmtpInput.Line(text, true)),
                lines(new SmtpLineDecoder(), (text + "\r\n").getBytes(StandardCharsets.UTF_8), chunk));
    }
}
