package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DataDecoder, inside SmtpLineDecoder as in a session: only {@code CRLF.CRLF} ends DATA, however
 * the bytes are chunked; the body goes out in dot-stuffed wire form; the SMTP smuggling
 * sequences never end DATA and nothing after the first bare CR or LF goes out; a body over the
 * limit is refused once and never goes out past the limit.
 */
class DataDecoderTest {

    private static final long NO_LIMIT = Long.MAX_VALUE;

    // Each case is checked whole, in pieces of 1 to 16 bytes and cut in two at every offset.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Hello\\r\\n.\\r\\n                         | body Hello\\r\\n                  | end 7",
        ".\\r\\n                                    |                                   | end 0",
        "\\r\\n.\\r\\n                              | body \\r\\n                       | end 2",
        "a\\r\\n\\r\\nb\\r\\n.\\r\\n                | body a\\r\\n\\r\\nb\\r\\n          | end 8",
        "..\\r\\n.\\r\\n                            | body ..\\r\\n                     | end 4",
        "..foo\\r\\n.bar\\r\\n...\\r\\n.\\r\\n      | body ..foo\\r\\n.bar\\r\\n...\\r\\n | end 18",
        "a.\\r\\n.\\r\\n                            | body a.\\r\\n                     | end 4",
        ". \\r\\n.\\r\\n                            | body . \\r\\n                     | end 4",
        ".x\\r\\n.\\r\\n                            | body .x\\r\\n                     | end 4",
        "x\\r\\n. \\r\\n..\\r\\n.\\r\\n             | body x\\r\\n. \\r\\n..\\r\\n      | end 11",
    })
    void endsOnlyAtCrLfDotCrLfAndKeepsTheWireForm(String input, String body, String end) {
        List<String> expected = new ArrayList<>();
        if (body != null) {
            expected.add(body);
        }
        expected.add(end);
        expected.add("line NOOP");
        forEveryChunking(unescape(input) + "NOOP\r\n", NO_LIMIT, t -> assertEquals(expected, t.events()));
    }

    @Test
    void holdsBackBytesThatMayStillBeTheEnd() {
        SmtpLineDecoder decoder = new SmtpLineDecoder();
        InputTranscript transcript = new InputTranscript();
        EmbeddedChannel channel = new EmbeddedChannel(decoder, transcript);
        decoder.enterData(NO_LIMIT);
        InputTranscript.feed(channel, "line\r\n.");
        assertEquals(List.of("body line\\r\\n"), transcript.events());
        InputTranscript.feed(channel, "\r");
        assertEquals(List.of("body line\\r\\n"), transcript.events());
        InputTranscript.feed(channel, "\n");
        assertEquals(List.of("body line\\r\\n", "end 6"), transcript.events());
        channel.finishAndReleaseAll();
    }

    // SMTP smuggling: sequences some servers take for the end of data. Here each one must leave
    // DATA running to the real end, refuse the message, and send on nothing after the first bare
    // CR or LF: no smuggled MAIL, RCPT or DATA becomes a command, and none of it reaches a backend.
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r.\r", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\n.\r", "\r\n.\r"})
    void smugglingSequenceNeverEndsData(String fakeEnd) {
        String content = "Subject: innocent\r\n\r\nhello" + fakeEnd
                + "MAIL FROM:<admin@example.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\n"
                + "Subject: smuggled\r\n\r\nevil\r\n";
        String sent = content.substring(0, firstBareLineEnding(content));
        List<String> expected = List.of("body " + InputTranscript.escape(sent), "refused BARE_LINE_ENDING",
                "end " + content.length() + " BARE_LINE_ENDING", "line NOOP");
        forEveryChunking(content + ".\r\nNOOP\r\n", NO_LIMIT, t -> assertEquals(expected, t.events()));
    }

    // A real CRLF.CRLF after a bare line ending does end DATA: the message is refused and what
    // follows is read as commands, each to be checked on its own.
    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r"})
    void realEndAfterABareLineEndingEndsData(String bare) {
        String content = "hello" + bare + "\r\n";
        List<String> expected = List.of("body hello", "refused BARE_LINE_ENDING",
                "end " + content.length() + " BARE_LINE_ENDING", "line MAIL FROM:<a@example.test>", "line NOOP");
        forEveryChunking(content + ".\r\nMAIL FROM:<a@example.test>\r\nNOOP\r\n", NO_LIMIT,
                t -> assertEquals(expected, t.events()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb\r\n", "a\nb\r\n", "a\r", "\n", "\r\r\n", ".\r\r\n", ".\n", "..\n"})
    void bareLineEndingAnywhereRefusesTheMessageOnce(String line) {
        String content = "first\r\n" + line + "\r\nlast\r\n";
        String sent = content.substring(0, firstBareLineEnding(content));
        List<String> expected = List.of("body " + InputTranscript.escape(sent), "refused BARE_LINE_ENDING",
                "end " + content.length() + " BARE_LINE_ENDING", "line NOOP");
        forEveryChunking(content + ".\r\nNOOP\r\n", NO_LIMIT, t -> assertEquals(expected, t.events()));
    }

    // A next hop that strips NUL would read another message: nothing from the NUL on goes out.
    @ParameterizedTest
    @ValueSource(strings = {"a\0b\r\n", "\0\r\n", ".\0\r\n", "x\r\n\0"})
    void nulAnywhereRefusesTheMessageOnce(String line) {
        String content = "first\r\n" + line + "\r\nlast\r\n";
        String sent = content.substring(0, content.indexOf('\0'));
        List<String> tail = List.of("refused NUL", "end " + content.length() + " NUL", "line NOOP");
        forEveryChunking(content + ".\r\nNOOP\r\n", NO_LIMIT, t -> {
            assertEquals(sent, t.body(), "only what came before the NUL");
            assertEquals(tail, t.events().subList(t.events().size() - 3, t.events().size()));
        });
    }

    @Test
    void bodyOfExactlyTheLimitIsClean() {
        String content = "12345678\r\n";
        forEveryChunking(content + ".\r\n", content.length(),
                t -> assertEquals(List.of("body 12345678\\r\\n", "end 10"), t.events()));
    }

    // RFC 1870: over the limit the message is refused after the end of data; the bytes that went
    // out before are at most the limit and a prefix of the body.
    @Test
    void overSizeIsRefusedOnceAndNeverSentPastTheLimit() {
        String content = "0123456789\r\nabcdefghij\r\nABCDEFGHIJ\r\n";
        long limit = 16;
        forEveryChunking(content + ".\r\nNOOP\r\n", limit, t -> {
            List<String> events = t.events();
            List<String> tail = events.subList(events.size() - 3, events.size());
            assertEquals(List.of("refused TOO_BIG", "end " + content.length() + " TOO_BIG", "line NOOP"), tail);
            assertTrue(events.size() == 3 || events.size() == 4 && events.get(0).startsWith("body "), events.toString());
            assertTrue(t.body().length() <= limit, t.body());
            assertTrue(content.startsWith(t.body()), t.body());
        });
    }

    @Test
    void firstRefusalWins() {
        String content = "a\nb" + "x".repeat(40) + "\r\n";
        forEveryChunking(content + ".\r\n", 10, t -> assertEquals(
                List.of("body a", "refused BARE_LINE_ENDING", "end " + content.length() + " BARE_LINE_ENDING"), t.events()));
    }

    @Test
    void largeBodyArrivesByteExact() {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            content.append(i % 50 == 0 ? ".." : "").append("line ").append(i).append("\r\n");
        }
        String input = content + ".\r\n";
        for (int size : new int[] {1, 3, 512, 1024, 8192, input.length()}) {
            InputTranscript t = run(input, NO_LIMIT, InputTranscript.every(size, input.length()));
            assertEquals(content.toString(), t.body(), "pieces of " + size);
            assertEquals("end " + content.length(), t.events().get(t.events().size() - 1));
        }
    }

    /** Runs the input whole, in pieces of 1 to 16 bytes, and cut in two at every offset. */
    private static void forEveryChunking(String input, long maxSize, Consumer<InputTranscript> check) {
        List<int[]> cutsList = new ArrayList<>();
        cutsList.add(new int[0]);
        for (int size = 1; size <= 16; size++) {
            cutsList.add(InputTranscript.every(size, input.length()));
        }
        for (int at = 1; at < input.length(); at++) {
            cutsList.add(new int[] {at});
        }
        for (int[] cuts : cutsList) {
            InputTranscript transcript = run(input, maxSize, cuts);
            try {
                check.accept(transcript);
            } catch (AssertionError e) {
                throw new AssertionError("cut at " + java.util.Arrays.toString(cuts) + ": " + e.getMessage(), e);
            }
        }
    }

    private static InputTranscript run(String input, long maxSize, int[] cuts) {
        SmtpLineDecoder decoder = new SmtpLineDecoder();
        InputTranscript transcript = new InputTranscript();
        EmbeddedChannel channel = new EmbeddedChannel(decoder, transcript);
        decoder.enterData(maxSize);
        InputTranscript.feed(channel, input, cuts);
        channel.finishAndReleaseAll();
        return transcript;
    }

    /** Where the first CR not followed by LF, or LF not preceded by CR, stands; the text's length if none. */
    private static int firstBareLineEnding(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' && (i + 1 >= s.length() || s.charAt(i + 1) != '\n')) {
                return i;
            }
            if (c == '\n' && (i == 0 || s.charAt(i - 1) != '\r')) {
                return i;
            }
        }
        return s.length();
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }

    /**
     * The eight-bytes-at-a-time scan finds what a byte-by-byte one finds: every CR, LF and NUL at
     * every offset and alignment, among bytes that trip naive word tricks (0x01, 0x0B, 0x0C,
     * 0x0E, 0x80, 0x8A, 0x8D, 0xFF), in heap and direct buffers, several stops in one word.
     */
    @Test
    void theWordScanFindsTheFirstCrLfOrNulAsAByteScanDoes() {
        byte[] awkward = {1, 0x0B, 0x0C, 0x0E, (byte) 0x80, (byte) 0x8A, (byte) 0x8D, (byte) 0xFF, 'a', '.'};
        byte[] stops = {'\r', '\n', 0};
        java.util.Random random = new java.util.Random(5321);
        int checked = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = awkward[random.nextInt(awkward.length)];
            }
            int stopCount = random.nextInt(3);
            for (int k = 0; k < stopCount; k++) {
                bytes[random.nextInt(bytes.length)] = stops[random.nextInt(stops.length)];
            }
            io.netty.buffer.ByteBuf heap = io.netty.buffer.Unpooled.wrappedBuffer(bytes);
            io.netty.buffer.ByteBuf direct = io.netty.buffer.Unpooled.directBuffer(bytes.length).writeBytes(bytes);
            try {
                int from = random.nextInt(bytes.length);
                int to = from + random.nextInt(bytes.length - from + 1);
                int expected = -1;
                for (int i = from; i < to; i++) {
                    if (bytes[i] == '\r' || bytes[i] == '\n' || bytes[i] == 0) {
                        expected = i;
                        break;
                    }
                }
                assertEquals(expected, DataDecoder.firstStop(heap, from, to), () -> java.util.Arrays.toString(bytes));
                assertEquals(expected, DataDecoder.firstStop(direct, from, to), () -> java.util.Arrays.toString(bytes));
                checked += expected >= 0 ? 1 : 0;
            } finally {
                heap.release();
                direct.release();
            }
        }
        assertTrue(checked > 3_000, "many rounds had a stop to find: " + checked);
    }
}
