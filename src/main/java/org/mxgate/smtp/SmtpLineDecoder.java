package org.mxgate.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
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
 * replies must not make us queue replies without end (PipelineFloodIT). Lines are decoded as
 * UTF-8 and never rewritten: bytes that are not UTF-8 are flagged on the
 * {@link SmtpInput.Line}, not replaced.
 */
public final class SmtpLineDecoder extends ByteToMessageDecoder {

    // RFC 5321 4.5.3.1.4: a command line is at most 512 octets including CRLF.
    public static final int MAX_LINE = 512;

    /**
     * RFC 4954 4: SASL responses may be far longer than commands, and 12,288 octets is the limit
     * the RFC calls sufficient. The AUTH line gets it too: RFC 4954 4 asks clients to hold back an
     * initial response that does not fit in 512 octets, but clients with long tokens send it
     * anyway, and it costs no more to take it on the AUTH line than one line later.
     */
    public static final int MAX_AUTH_LINE = 12_288;

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
    private boolean authExchange;
    /** The limit of the over-long line being thrown away up to its LF; 0 when none is. */
    private int discardingOver;
    /** Bytes past the reader index already searched for LF: a long line sent in small pieces is scanned once. */
    private int searched;
    private boolean decoding;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    /** From the next byte on, the client's bytes are message content until {@code CRLF.CRLF}. */
    public void enterData(long maxSize) {
        data = new DataDecoder(maxSize);
    }

    /**
     * While an AUTH exchange runs, every line is a SASL response and may be {@link #MAX_AUTH_LINE}
     * octets long. The session handler sets this after each step, before the next line is decoded.
     */
    public void authExchange(boolean running) {
        authExchange = running;
    }

    /**
     * RFC 3207 5: throws away every byte received but not yet decoded, the plaintext a client
     * pipelined after STARTTLS. Called while the STARTTLS line is handled. Event loop only.
     */
    public void discardBuffered() {
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
        discardingOver = 0;
        searched = 0;
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
        int eol = in.indexOf(from + searched, in.writerIndex(), (byte) '\n');
        searched = 0;
        if (discardingOver > 0) {
            if (eol < 0) {
                in.skipBytes(in.readableBytes());
                return;
            }
            in.readerIndex(eol + 1);
            out.add(new SmtpInput.LineTooLong(discardingOver));
            discardingOver = 0;
            return;
        }
        int limit = authExchange || isAuthCommand(in, from) ? MAX_AUTH_LINE : MAX_LINE;
        if (eol < 0) {
            if (in.readableBytes() > limit) {
                discardingOver = limit;
                in.skipBytes(in.readableBytes());
            } else {
                searched = in.readableBytes();
            }
            return;
        }
        if (eol + 1 - from > limit) {
            in.readerIndex(eol + 1);
            out.add(new SmtpInput.LineTooLong(limit));
            return;
        }
        int textEnd = eol > from && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
        out.add(line(in, from, textEnd - from));
        in.readerIndex(eol + 1);
    }

    /** Whether the line starting here is "AUTH " in any case. */
    private static boolean isAuthCommand(ByteBuf in, int from) {
        if (in.writerIndex() - from < 5 || in.getByte(from + 4) != ' ') {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            // Setting bit 5 lower-cases an ASCII letter and matches no other byte to one.
            if ((in.getByte(from + i) | 0x20) != "auth".charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 3629 and RFC 6531 3.3: 8-bit text in a command is UTF-8. A line that is not is kept
     * byte for byte (ISO-8859-1) and flagged, so the session refuses it; a replacing decoder would
     * turn each bad byte into U+FFFD and relay an address the client never sent (CommandLineIT).
     */
    private SmtpInput.Line line(ByteBuf in, int from, int length) {
        try {
            return new SmtpInput.Line(utf8.decode(in.nioBuffer(from, length)).toString());
        } catch (CharacterCodingException e) {
            return new SmtpInput.Line(in.toString(from, length, StandardCharsets.ISO_8859_1), false);
        }
    }
}
