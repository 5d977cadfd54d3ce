package org.mxgate.smtp;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Scans the bytes of one DATA phase for its end, {@code CRLF.CRLF}, and nothing else ends it.
 * Content goes out in dot-stuffed wire form, as received, up to the first bare CR or LF or
 * the size limit; from there on bytes are only scanned for the end and dropped, so no byte
 * after a bare line ending can reach a backend (SMTP smuggling; DataDecoderTest, SmugglingIT).
 * Bytes that may still turn out to be the end ({@code .}, {@code .CR}, a trailing CR) are left
 * in the buffer until the next bytes tell.
 */
final class DataDecoder {

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
            byte b = in.getByte(i);
            if (lineStart && b == '.') {
                if (i + 2 >= end) {
                    if (i + 1 < end && in.getByte(i + 1) != '\r') {
                        i++;
                        lineStart = false;
                        continue;
                    }
                    break;
                }
                if (in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                    emit(in, start, i, out);
                    in.readerIndex(i + 3);
                    out.add(new SmtpInput.BodyEnd(new DataResult(size, refusal)));
                    return true;
                }
                i++;
                lineStart = false;
            } else if (b == '\r') {
                if (i + 1 >= end) {
                    break;
                }
                if (in.getByte(i + 1) == '\n') {
                    i += 2;
                    lineStart = true;
                } else {
                    start = bare(in, start, i, out);
                    i++;
                    lineStart = false;
                }
            } else if (b == '\n') {
                start = bare(in, start, i, out);
                i++;
                lineStart = false;
            } else {
                i++;
                lineStart = false;
            }
        }
        emit(in, start, i, out);
        in.readerIndex(i);
        atLineStart = lineStart;
        return false;
    }

    /** The first bare CR or LF at {@code at}: what came before it still goes out, nothing after. */
    private int bare(ByteBuf in, int start, int at, List<Object> out) {
        emit(in, start, at, out);
        refuse(DataResult.Refusal.BARE_LINE_ENDING, out);
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
