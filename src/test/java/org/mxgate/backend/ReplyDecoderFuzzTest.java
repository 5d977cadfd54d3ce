package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.mxgate.fuzz.FuzzTargets;
import org.mxgate.fuzz.FuzzWrites;
import org.mxgate.fuzz.NameLookups;
import org.mxgate.mail.Reply;

/**
 * Fuzzes a backend's bytes through {@link ReplyDecoder} and {@link ReplyParser} in any chunking.
 * The replies, and the first protocol error, are those of the stream read line by line at once;
 * after the error nothing more is read; the decoder never holds more than a line's limit; and
 * each reply, as the client would get it ({@link Reply#wire()}), has line ends only where its
 * lines end, no control character, and parses back to itself.
 */
class ReplyDecoderFuzzTest {

    @BeforeAll
    static void noNameLookups() {
        NameLookups.forbid();
    }

    /** The replies read, and the message of the error that ended the reading (or null). */
    private record Read(List<Reply> replies, String error) {
    }

    @FuzzTest(maxDuration = FuzzTargets.TIME_BOX)
    @DictionaryEntries({"\\x0D\\x0A", "250-", "250 ", "550 5.1.1 ", "2.0.0 ", "421 ", "\\x0D"})
    @DictionaryFile(resourcePath = FuzzWrites.DICTIONARY)
    void backendStream(byte[] input) {
        List<byte[]> writes = FuzzWrites.split(input);
        Read read = chunked(writes);
        assertEquals(lineByLine(FuzzWrites.joined(writes)), read);
        for (Reply reply : read.replies()) {
            checkWireForm(reply);
        }
    }

    private static Read chunked(List<byte[]> writes) {
        ReplyDecoder decoder = new ReplyDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<Reply> replies = new ArrayList<>();
        String error = null;
        for (byte[] write : writes) {
            DecoderException thrown = null;
            try {
                channel.writeInbound(Unpooled.copiedBuffer(write));
            } catch (DecoderException e) {
                thrown = e;
            }
            assertTrue(decoder.bufferedBytes() <= ReplyParser.MAX_LINE_OCTETS + 1, "more than a line held");
            // Replies of this write came before its error, if it had one.
            for (Reply reply; (reply = channel.readInbound()) != null; ) {
                assertNull(error, "a reply read after a protocol error");
                replies.add(reply);
            }
            if (thrown != null) {
                assertNull(error, "a second error after the first");
                error = assertInstanceOf(ReplyParser.MalformedReplyException.class, thrown.getCause()).getMessage();
            }
        }
        channel.finishAndReleaseAll();
        return new Read(replies, error);
    }

    /** RFC 5321 4.2: the whole stream cut at each LF, a CR before it dropped, each line to one parser. */
    private static Read lineByLine(byte[] stream) {
        ReplyParser parser = new ReplyParser();
        List<Reply> replies = new ArrayList<>();
        int start = 0;
        for (int lf = indexOf(stream, start); lf >= 0; lf = indexOf(stream, start)) {
            int end = lf > start && stream[lf - 1] == '\r' ? lf - 1 : lf;
            try {
                Reply reply = parser.line(Arrays.copyOfRange(stream, start, end));
                if (reply != null) {
                    replies.add(reply);
                }
            } catch (ReplyParser.MalformedReplyException e) {
                return new Read(replies, e.getMessage());
            }
            start = lf + 1;
        }
        return new Read(replies, null);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** What reaches the client can neither end a reply early nor add one of its own. */
    private static void checkWireForm(Reply reply) {
        assertTrue(reply.lines().size() <= ReplyParser.MAX_LINES, "more lines than a reply may have");
        for (String line : reply.lines()) {
            assertTrue(line.chars().noneMatch(c -> c < ' ' && c != '\t' || c == 0x7f), "a control character in " + line);
        }
        String wire = reply.wire();
        assertEquals(reply.lines().size(), wire.split("\r\n", -1).length - 1, "line ends inside a line");
        ReplyParser again = new ReplyParser();
        Reply parsed = null;
        for (String line : wire.split("\r\n")) {
            byte[] octets = line.getBytes(StandardCharsets.UTF_8);
            // A byte that is not UTF-8 comes out as U+FFFD, three octets: a line near the limit
            // may leave longer than it came, though never more than three times its length.
            if (octets.length > ReplyParser.MAX_LINE_OCTETS) {
                assertTrue(octets.length <= 3 * ReplyParser.MAX_LINE_OCTETS, "a reply line of " + octets.length + " octets");
                return;
            }
            parsed = again.line(octets);
        }
        assertEquals(reply, parsed, "the reply as sent on parses otherwise");
    }
}
