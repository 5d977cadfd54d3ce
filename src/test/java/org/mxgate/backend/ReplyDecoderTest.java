package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxgate.mail.Reply;

/**
 * A backend's bytes into replies, in an EmbeddedChannel, whole and in chunks down to one byte,
 * as Netty tests its codecs: lines end at CRLF or a bare LF, an over-long line is dropped as it
 * comes and fails at its end, and after a bad line no byte is ever read as a reply.
 */
class ReplyDecoderTest {

    private static final String DIALOGUE = "220-mx1.test ESMTP\r\n220 no UCE\r\n"
            + "250-mx1.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n"
            + "250 2.1.0 Ok\r\n"
            + "250\r\n"
            + "550-5.1.1 <c@example.test>: no such user\r\n550 5.1.1 here\r\n"
            + "354 End data with <CR><LF>.<CR><LF>\r\n"
            + "250 2.0.0 Ok: queued as 4XyZ\r\n";

    private final ReplyDecoder decoder = new ReplyDecoder();
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
    }

    private void feed(String wire, int chunk) {
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            channel.writeInbound(Unpooled.copiedBuffer(bytes, i, Math.min(chunk, bytes.length - i)));
        }
    }

    private List<Reply> replies() {
        List<Reply> replies = new ArrayList<>();
        for (Reply reply = channel.readInbound(); reply != null; reply = channel.readInbound()) {
            replies.add(reply);
        }
        return replies;
    }

    private static ReplyParser.MalformedReplyException malformed(DecoderException thrown) {
        return assertInstanceOf(ReplyParser.MalformedReplyException.class, thrown.getCause());
    }

    @ParameterizedTest(name = "{0} octets a read")
    @ValueSource(ints = {1, 2, 3, 7, 64, Integer.MAX_VALUE})
    void aDialogueReadsTheSameInAnyChunks(int chunk) {
        feed(DIALOGUE, chunk);
        List<Reply> replies = replies();
        assertEquals(List.of(220, 250, 250, 250, 550, 354, 250), replies.stream().map(Reply::code).toList());
        assertEquals(List.of("mx1.test ESMTP", "no UCE"), replies.get(0).lines());
        assertEquals(List.of("mx1.test", "PIPELINING", "SIZE 10240000", "8BITMIME"), replies.get(1).lines());
        assertEquals("2.1.0", replies.get(2).status());
        assertEquals(List.of(""), replies.get(3).lines());
        assertEquals(List.of("<c@example.test>: no such user", "here"), replies.get(4).lines());
        assertEquals("Ok: queued as 4XyZ", replies.get(6).text());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void aReplyIsWholeOnlyAtTheLineEndOfItsLastLine() {
        feed("250-mx1.test\r\n250 PIPELINING\r", 1);
        assertNull(channel.readInbound());
        feed("\n", 1);
        assertEquals(List.of("mx1.test", "PIPELINING"), replies().get(0).lines());
    }

    @Test
    void aBareLfEndsALineAsCrlfDoes() {
        feed("250-mx1.test\n250-PIPELINING\r\n250 8BITMIME\n250 Ok\n", 1);
        List<Reply> replies = replies();
        assertEquals(List.of("mx1.test", "PIPELINING", "8BITMIME"), replies.get(0).lines());
        assertEquals("Ok", replies.get(1).text());
    }

    @Test
    void onlyTheCrJustBeforeTheLfBelongsToTheLineEnd() {
        DecoderException thrown = assertThrows(DecoderException.class, () -> feed("250 Ok\r\r\n", 1));
        assertTrue(malformed(thrown).getMessage().endsWith(": a CR inside the line"), thrown.getMessage());
    }

    @Test
    void aReplyCodeAloneCompletesAReply() {
        feed("250\r\n", 1);
        Reply reply = replies().get(0);
        assertEquals(250, reply.code());
        assertEquals("", reply.text());
    }

    @Test
    void aReplyCutOffByTheCloseIsNoReply() {
        feed("250-mx1.test\r\n250 PIPELI", 64);
        channel.finish();
        assertNull(channel.readInbound());
    }

    // --- errors: the first bad line, and nothing after it

    @ParameterizedTest(name = "{0} octets a read")
    @ValueSource(ints = {1, Integer.MAX_VALUE})
    void aGoodReplyBeforeABadLineComesOutAndNothingAfterIt(int chunk) {
        DecoderException thrown = assertThrows(DecoderException.class,
                () -> feed("250 2.1.0 Ok\r\n25x Ok\r\n250 2.1.5 Ok\r\n", chunk));
        assertEquals("bad reply line \"25x Ok\": no reply code 200 to 559 at its start", malformed(thrown).getMessage());
        assertEquals(List.of(250), replies().stream().map(Reply::code).toList());
        // What follows a protocol error is never a reply, however well formed.
        feed("250 2.1.5 Ok\r\n", 1);
        assertEquals(List.of(), replies());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void aCodeThatChangesInsideAReplyFailsTheWholeReply() {
        DecoderException thrown = assertThrows(DecoderException.class, () -> feed("250-mx1.test\r\n251 Ok\r\n", 1));
        assertTrue(malformed(thrown).getMessage().endsWith("code 251 inside a reply that began with 250"));
        assertEquals(List.of(), replies());
    }

    @Test
    void anOverLongLineIsDroppedAsItComesAndFailsAtItsEnd() {
        feed("250-", 1);
        for (int i = 0; i < 256; i++) {
            feed("x".repeat(4096), 4096);
            assertTrue(decoder.bufferedBytes() <= ReplyParser.MAX_LINE_OCTETS + 1, "held " + decoder.bufferedBytes());
        }
        assertNull(channel.readInbound());
        DecoderException thrown = assertThrows(DecoderException.class, () -> feed("xx\r\n250 Ok\r\n", Integer.MAX_VALUE));
        assertEquals("a reply line longer than 4096 octets", malformed(thrown).getMessage());
        assertEquals(List.of(), replies());
    }

    @Test
    void aLineOfTheLimitIsReadInAnyChunksAndOneOctetMoreIsNot() {
        String longest = "250 " + "x".repeat(ReplyParser.MAX_LINE_OCTETS - 4);
        feed(longest + "\r\n", 1);
        assertEquals(ReplyParser.MAX_LINE_OCTETS - 4, replies().get(0).text().length());
        feed(longest + "\n", 1000);
        assertEquals(ReplyParser.MAX_LINE_OCTETS - 4, replies().get(0).text().length());
        DecoderException thrown = assertThrows(DecoderException.class, () -> feed(longest + "x\r\n", 1));
        assertEquals("a reply line longer than 4096 octets", malformed(thrown).getMessage());
    }

    @Test
    void aReplyOfTooManyLinesFailsAtTheFirstLineTooMany() {
        String hundred = "250-line\r\n".repeat(ReplyParser.MAX_LINES);
        DecoderException thrown = assertThrows(DecoderException.class, () -> feed(hundred + "250 end\r\n", 64));
        assertTrue(malformed(thrown).getMessage().endsWith("more than 100 lines in one reply"));
        assertEquals(List.of(), replies());
    }
}
