package org.mxgate.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mxgate.smtp.DataResult;
import org.mxgate.smtp.SmtpLineDecoder;

/**
 * What {@link SmtpLineDecoder} must hand on for a client's bytes, worked out the plain way: the
 * whole stream at once, by the rules as RFC 5321 and the class comments state them, with no
 * state carried between reads. {@link #check} compares a real, chunked run with this.
 *
 * <ul>
 * <li>A command line ends at LF (a CR before it belongs to the line end) and is at most 512
 *     octets with its line end, or 12,288 for an AUTH line and a SASL response (RFC 5321
 *     4.5.3.1.4, RFC 4954 4); a longer one is reported once, at its LF.</li>
 * <li>DATA ends only at CRLF.CRLF: the dot first on a line, where a line starts at the start of
 *     data or after CRLF, never after a bare CR or LF (SMTP smuggling).</li>
 * <li>Content goes out byte for byte up to the first bare CR, bare LF or NUL, and nothing after it; a
 *     body over its limit goes out no further than the limit.</li>
 * </ul>
 */
public final class ReferenceDecoding {

    /** One DATA phase as it must be: {@code content} is the whole content, up to the end or the refusal. */
    record ExpectedData(byte[] content, DataResult.Refusal refusal, long maxSize, long size, boolean ended) {
    }

    private ReferenceDecoding() {
    }

    /** Runs a real decoder over the writes and fails unless it hands on what the whole stream calls for. */
    public static void check(List<byte[]> writes, SessionScript script) {
        assertMatches(of(FuzzWrites.joined(writes), script), LineDecoderRun.run(writes, script));
    }

    /** Lines and too-long reports as {@link LineDecoderRun} records them, DATA phases as {@link ExpectedData}. */
    static List<Object> of(byte[] b, SessionScript script) {
        List<Object> out = new ArrayList<>();
        boolean inAuthExchange = false;
        boolean inData = script.startsInData();
        int phases = 0;
        int pos = 0;
        while (true) {
            if (inData) {
                int end = endOfData(b, pos);
                out.add(data(b, pos, end, script.maxSize(phases++)));
                if (end < 0) {
                    return out;
                }
                pos = end + 3;
                inData = false;
                continue;
            }
            int lf = indexOf(b, (byte) '\n', pos);
            if (lf < 0) {
                return out;
            }
            int limit = inAuthExchange || isAuthCommand(b, pos) ? SmtpLineDecoder.MAX_AUTH_LINE : SmtpLineDecoder.MAX_LINE;
            if (lf + 1 - pos > limit) {
                out.add(new LineDecoderRun.TooLong(limit));
                inAuthExchange = false;
            } else {
                LineDecoderRun.Line line = line(b, pos, lf > pos && b[lf - 1] == '\r' ? lf - 1 : lf);
                out.add(line);
                inData = SessionScript.startsData(line.text(), inAuthExchange);
                inAuthExchange = SessionScript.startsAuthExchange(line.text(), inAuthExchange);
            }
            pos = lf + 1;
        }
    }

    /** The dot of the first CRLF.CRLF at or after {@code start}, counting the start as after a CRLF; -1 if none. */
    private static int endOfData(byte[] b, int start) {
        for (int i = start; i + 2 < b.length; i++) {
            boolean lineStart = i == start || i - start >= 2 && b[i - 2] == '\r' && b[i - 1] == '\n';
            if (lineStart && b[i] == '.' && b[i + 1] == '\r' && b[i + 2] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static ExpectedData data(byte[] b, int start, int end, long maxSize) {
        int stop = end < 0 ? b.length : end;
        // The first bare CR, bare LF or NUL: nothing from it on goes out (RFC 5321 2.3.8, 4.1.1.4).
        int bare = -1;
        DataResult.Refusal stopReason = null;
        for (int k = start; k < stop && bare < 0; k++) {
            boolean bareLf = b[k] == '\n' && (k == start || b[k - 1] != '\r');
            // A CR last of an unfinished phase may still be half of a CRLF.
            boolean bareCr = b[k] == '\r' && (k + 1 < stop ? b[k + 1] != '\n' : end >= 0);
            if (bareLf || bareCr || b[k] == 0) {
                bare = k;
                stopReason = b[k] == 0 ? DataResult.Refusal.NUL : DataResult.Refusal.BARE_LINE_ENDING;
            }
        }
        DataResult.Refusal refusal;
        if (bare >= 0) {
            refusal = bare - start > maxSize ? DataResult.Refusal.TOO_BIG : stopReason;
        } else {
            refusal = stop - start > maxSize ? DataResult.Refusal.TOO_BIG : null;
        }
        byte[] content = Arrays.copyOfRange(b, start, bare >= 0 ? bare : stop);
        return new ExpectedData(content, refusal, maxSize, stop - start, end >= 0);
    }

    private static boolean isAuthCommand(byte[] b, int from) {
        if (from + 5 > b.length || b[from + 4] != ' ') {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if ((b[from + i] | 0x20) != "auth".charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static LineDecoderRun.Line line(byte[] b, int from, int to) {
        // Decoded without exceptions: building one per line of 8-bit input would cost more than the run.
        CharBuffer text = CharBuffer.allocate(to - from);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from), text, true);
        if (result.isError()) {
            return new LineDecoderRun.Line(new String(b, from, to - from, StandardCharsets.ISO_8859_1), false);
        }
        return new LineDecoderRun.Line(text.flip().toString(), true);
    }

    private static int indexOf(byte[] b, byte wanted, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** Fails unless the run saw what the reference says, phase by phase. */
    private static void assertMatches(List<Object> expected, List<LineDecoderRun.Decoded> actual) {
        assertEquals(expected.size(), actual.size(), () -> "expected " + expected + "\nbut the decoder gave " + actual);
        for (int i = 0; i < expected.size(); i++) {
            Object want = expected.get(i);
            LineDecoderRun.Decoded got = actual.get(i);
            if (want instanceof ExpectedData data) {
                assertData(data, assertInstanceOf(LineDecoderRun.Data.class, got, "event " + i));
            } else {
                assertEquals(want, got, "event " + i);
            }
        }
    }

    private static void assertData(ExpectedData want, LineDecoderRun.Data got) {
        byte[] out = got.content();
        // Content out equals the input, from the first byte, up to the first refusal.
        assertArrayEquals(Arrays.copyOf(want.content(), Math.min(out.length, want.content().length)), out,
                "content out is not the input as received");
        assertTrue(out.length <= want.maxSize(), "content past the size limit went out");
        assertTrue(out.length <= want.content().length, "content went out past the first bare CR, bare LF or NUL");
        if (!want.ended()) {
            assertNull(got.end(), "DATA ended where there is no CRLF.CRLF");
            assertTrue(got.refused() == null || got.refused() == want.refusal(), "refused for " + got.refused());
            if (want.refusal() == null) {
                // Only ".", ".\r" or a last CR may wait for the next bytes.
                assertTrue(out.length >= want.content().length - 2, "content held back");
            }
            return;
        }
        assertEquals(new DataResult(want.size(), want.refusal()), got.end(), "the end of DATA");
        if (want.refusal() != DataResult.Refusal.TOO_BIG) {
            assertArrayEquals(want.content(), out, "content out");
        }
    }
}
