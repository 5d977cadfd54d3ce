package org.mxgate.smtp;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Scans the bytes of one DATA phase for its end, {@code CRLF.CRLF}, and nothing else ends it.
 * Content goes out in dot-stuffed wire form, as received, up to the first bare CR or LF, NUL
 * or the size limit; from there on bytes are only scanned for the end and dropped, so no byte
 * after a bare line ending can reach a backend (SMTP smuggling; DataDecoderTest, SmugglingIT),
 * nor a NUL, which a next hop that strips it would read as another message.
 * Bytes that may still turn out to be the end ({@code .}, {@code .CR}, a trailing CR) are left
 * in the buffer until the next bytes tell.
 */
final class DataDecoder {

    /** What a dot at the start of a line turns out to be. */
    private enum Dot { END, CONTENT, UNDECIDED }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long CRS = ONES * '\r';
    private static final long LFS = ONES * '\n';

    private final long maxSize;
    private boolean atLineStart = true;
    private long size;
    private DataResult.Refusal refusal;

    DataDecoder(long maxSize) {
        this.maxSize = maxSize;
    }

    /** Consumes what it can of {@code in}; returns true once the end of data was consumed. */
    boolean decode(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int i = start;
        boolean lineStart = atLineStart;
        while (i < end) {
            if (lineStart && in.getByte(i) == '.') {
                Dot dot = dot(in, i, end);
                if (dot == Dot.END) {
                    return finish(in, start, i, out);
                }
                if (dot == Dot.UNDECIDED) {
                    break;
                }
                i++;
                lineStart = false;
                continue;
            }
            // Most of a message is ordinary bytes: skip them eight at a time.
            int next = firstStop(in, i, end);
            if (next < 0) {
                i = end;
                lineStart = false;
                break;
            }
            if (next > i) {
                i = next;
                lineStart = false;
            }
            byte b = in.getByte(i);
            if (b == '\r' && i + 1 >= end) {
                // A CR last in the buffer may still be half of a CRLF.
                break;
            } else if (b == '\r' && in.getByte(i + 1) == '\n') {
                i += 2;
                lineStart = true;
                continue;
            } else if (b == 0) {
                start = stopAt(in, start, i, DataResult.Refusal.NUL, out);
            } else {
                start = stopAt(in, start, i, DataResult.Refusal.BARE_LINE_ENDING, out);
            }
            i++;
            lineStart = false;
        }
        emit(in, start, i, out);
        in.readerIndex(i);
        atLineStart = lineStart;
        return false;
    }

    /**
     * The index of the first CR, LF or NUL in {@code [from, to)}, or -1: the bytes that end a
     * line or start the refusal of one. Reads eight bytes a step and tests them all at once (SWAR),
     * since most of a message is none of these; the rest one by one.
     */
    static int firstStop(ByteBuf in, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            // Little-endian: the byte first in the buffer is the word's lowest.
            long word = in.getLongLE(i);
            long found = zeroBytes(word) | zeroBytes(word ^ CRS) | zeroBytes(word ^ LFS);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = in.getByte(i);
            if (b == '\r' || b == '\n' || b == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The high bit of each byte of {@code word} that is zero. A byte above a zero byte may be
     * flagged too (the subtraction borrows upwards), never one below it, so the lowest flag is
     * always a true zero: all {@link #firstStop} needs.
     */
    private static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGH_BITS;
    }

    /** A dot first on its line at {@code i}: the end of data, content, or undecided until more bytes come. */
    private static Dot dot(ByteBuf in, int i, int end) {
        if (i + 2 < end) {
            return in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n' ? Dot.END : Dot.CONTENT;
        }
        // "." or ".\r" may still become ".\r\n"; a dot followed by anything else is content.
        return i + 1 < end && in.getByte(i + 1) != '\r' ? Dot.CONTENT : Dot.UNDECIDED;
    }

    /** The end of data, its dot at {@code dot}: what came before it still goes out, then the result. */
    private boolean finish(ByteBuf in, int start, int dot, List<Object> out) {
        emit(in, start, dot, out);
        in.readerIndex(dot + 3);
        out.add(new SmtpInput.BodyEnd(new DataResult(size, refusal)));
        return true;
    }

    /** The first bare CR or LF, or NUL, at {@code at}: what came before it still goes out, nothing after. */
    private int stopAt(ByteBuf in, int start, int at, DataResult.Refusal reason, List<Object> out) {
        emit(in, start, at, out);
        refuse(reason, out);
        return at;
    }

    private void emit(ByteBuf in, int from, int to, List<Object> out) {
        int length = to - from;
        if (length <= 0 || refusal != null) {
            size += Math.max(0, length);
            return;
        }
        size += length;
        // RFC 1870: a message over our declared SIZE is refused with 552 after the end of data.
        if (size > maxSize) {
            refuse(DataResult.Refusal.TOO_BIG, out);
            return;
        }
        out.add(new SmtpInput.BodyChunk(in.retainedSlice(from, length)));
    }

    private void refuse(DataResult.Refusal reason, List<Object> out) {
        if (refusal == null) {
            refusal = reason;
            out.add(new SmtpInput.BodyRefused(reason));
        }
    }
}
