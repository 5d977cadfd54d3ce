package org.mxgate.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits the client's bytes into command lines, or, between {@link #enterData} and the end of
 * data, into message chunks (see {@link DataDecoder}). Emits one line per call so the session
 * handler sees each command before the next is decoded; while {@link #pause() paused} it
 * decodes nothing, which keeps pipelined replies in order, and once more than
 * {@link #PAUSED_BUFFER_LIMIT} bytes wait it stops reading from the socket, so TCP pushes back
 * on a client that sends faster than backends take. It also decodes nothing and stops reading
 * while the channel cannot be written: a client that pipelines commands and never reads its
 * replies must not make us queue replies without end (PipelineFloodIT).
 */
public final class SmtpLineDecoder extends ByteToMessageDecoder {

    // RFC 5321 4.5.3.1.4: a command line is at most 512 octets including CRLF.
    public static final int MAX_LINE = 512;

    /**
     * Bytes kept while paused before reading from the socket stops. Most pauses are a client
     * waiting for its reply with nothing more to send; turning reading off and on for each of
     * them would cost two system calls per command.
     */
    static final int PAUSED_BUFFER_LIMIT = 64 * 1024;

    private ChannelHandlerContext context;
    private DataDecoder data;
    private boolean paused;
    private boolean readingStopped;
    private boolean discardingLongLine;
    private boolean decoding;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    /** From the next byte on, the client's bytes are message content until {@code CRLF.CRLF}. */
    public void enterData(long maxSize) {
        data = new DataDecoder(maxSize);
    }

    /**
     * RFC 3207 5: throws away every byte received but not yet decoded, the plaintext a client
     * pipelined after STARTTLS. Called while the STARTTLS line is handled. Event loop only.
     */
    public void discardBuffered() {
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
        discardingLongLine = false;
    }

    public void pause() {
        paused = true;
    }

    /** Reads on: first whatever is already buffered, then from the socket. Event loop only. */
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        readOn();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable() && !paused) {
            // As a task of its own: this event can fire from inside the flush of the very replies
            // decoded here, and answering more commands from there would recurse.
            ctx.executor().execute(() -> {
                if (!paused && ctx.channel().isActive()) {
                    readOn();
                    // The session handler flushes replies when a read completes.
                    ctx.fireChannelReadComplete();
                }
            });
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Decodes what is buffered and reads from the socket again, unless replies cannot be written yet. */
    private void readOn() {
        if (!context.channel().isWritable()) {
            // channelWritabilityChanged reads on once the client has taken its replies.
            return;
        }
        if (readingStopped) {
            readingStopped = false;
            context.channel().config().setAutoRead(true);
        }
        if (decoding) {
            return;
        }
        try {
            channelRead(context, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            context.fireExceptionCaught(e);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        boolean writable = ctx.channel().isWritable();
        if (paused || !writable) {
            if (!readingStopped && (!writable || in.readableBytes() > PAUSED_BUFFER_LIMIT)) {
                readingStopped = true;
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        decoding = true;
        try {
            if (data != null) {
                if (data.decode(in, out)) {
                    data = null;
                }
            } else {
                decodeLine(in, out);
            }
        } finally {
            decoding = false;
        }
    }

    private void decodeLine(ByteBuf in, List<Object> out) {
        int from = in.readerIndex();
        int eol = in.indexOf(from, in.writerIndex(), (byte) '\n');
        if (discardingLongLine) {
            if (eol < 0) {
                in.skipBytes(in.readableBytes());
                return;
            }
            in.readerIndex(eol + 1);
            discardingLongLine = false;
            out.add(new SmtpInput.LineTooLong());
            return;
        }
        if (eol < 0) {
            if (in.readableBytes() > MAX_LINE) {
                discardingLongLine = true;
                in.skipBytes(in.readableBytes());
            }
            return;
        }
        if (eol + 1 - from > MAX_LINE) {
            in.readerIndex(eol + 1);
            out.add(new SmtpInput.LineTooLong());
            return;
        }
        int textEnd = eol > from && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
        String text = in.toString(from, textEnd - from, StandardCharsets.UTF_8);
        in.readerIndex(eol + 1);
        out.add(new SmtpInput.Line(text));
    }
}
