package org.mxgate.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.mxgate.mail.Reply;

/**
 * Splits a backend's bytes into lines and hands them to a {@link ReplyParser}, emitting each
 * {@link Reply} once its last line is in. A line ends at LF; a CR just before
 * it belongs to the line end, so a server that ends its lines with a bare LF is read as well
 * (this is the client side: lenient where nothing can be mistaken). Never holds more than one
 * line's limit: the rest of an over-long line is dropped as it arrives, and at its LF the
 * connection fails. After the first bad line it decodes nothing more, so no byte behind a
 * protocol error is ever taken for a reply.
 */
final class ReplyDecoder extends ByteToMessageDecoder {

    private final ReplyParser parser = new ReplyParser();
    /** True while the rest of an over-long line is dropped up to its LF. */
    private boolean discarding;
    /** Bytes past the reader index already searched for LF: a line sent in small pieces is scanned once. */
    private int searched;
    private boolean failed;

    /** Bytes held for a line not yet ended: never more than a line's limit and its CR. */
    int bufferedBytes() {
        return actualReadableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        int lf = in.indexOf(start + searched, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            searched = in.readableBytes();
            // One octet more than the limit may be the CR of the line end.
            if (discarding || searched > ReplyParser.MAX_LINE_OCTETS + 1) {
                discarding = true;
                in.skipBytes(searched);
                searched = 0;
            }
            return;
        }
        searched = 0;
        try {
            if (discarding) {
                discarding = false;
                in.readerIndex(lf + 1);
                throw ReplyParser.tooLong();
            }
            int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            byte[] line = new byte[end - start];
            in.readBytes(line);
            in.readerIndex(lf + 1);
            Reply reply = parser.line(line);
            if (reply != null) {
                out.add(reply);
            }
        } catch (ReplyParser.MalformedReplyException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
