package org.mxgate.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.mxgate.smtp.DataResult;
import org.mxgate.smtp.SmtpInput;
import org.mxgate.smtp.SmtpLineDecoder;

/**
 * One run of a real {@link SmtpLineDecoder} in an EmbeddedChannel over a client's writes, with
 * this handler playing the session's part by a {@link SessionScript}. It records what a session
 * would see, and fails at once where a session would be fooled: a command decoded inside DATA,
 * a line over its limit, a refusal sent twice, a body byte after the end. Every buffer written
 * must be released by the end.
 */
final class LineDecoderRun extends ChannelInboundHandlerAdapter {

    /** What the session saw: a line, an over-long line, or one whole DATA phase. */
    sealed interface Decoded {
    }

    record Line(String text, boolean isUtf8) implements Decoded {
    }

    record TooLong(int limit) implements Decoded {
    }

    /** One DATA phase: the content that went out, the refusal sent (or null) and the end (null while not ended). */
    record Data(byte[] content, DataResult.Refusal refused, DataResult end) implements Decoded {
    }

    private final SessionScript script;
    private final SmtpLineDecoder decoder = new SmtpLineDecoder();
    private final List<Decoded> decoded = new ArrayList<>();
    private boolean inAuthExchange;
    private int dataPhases;
    /** The content of the DATA phase running, or null between phases. */
    private ByteArrayOutputStream content;
    private DataResult.Refusal refused;
    private int reads;

    private LineDecoderRun(SessionScript script) {
        this.script = script;
    }

    /** Feeds the writes in order and returns what the session saw; an unfinished DATA phase comes last. */
    static List<Decoded> run(List<byte[]> writes, SessionScript script) {
        LineDecoderRun run = new LineDecoderRun(script);
        EmbeddedChannel channel = new EmbeddedChannel(run.decoder, run);
        if (script.startsInData()) {
            run.enterData();
        }
        List<ByteBuf> written = new ArrayList<>();
        for (byte[] write : writes) {
            ByteBuf buf = Unpooled.copiedBuffer(write);
            written.add(buf);
            channel.writeInbound(buf);
            run.resumeUntilIdle();
        }
        if (run.content != null) {
            assertNoBareLineEnding(run.content.toByteArray());
            run.decoded.add(new Data(run.content.toByteArray(), run.refused, null));
        }
        List<Decoded> seen = List.copyOf(run.decoded);
        channel.finishAndReleaseAll();
        for (ByteBuf buf : written) {
            assertEquals(0, buf.refCnt(), "a written buffer was never released");
        }
        return seen;
    }

    /** As the session handler resumes the decoder once its replies are out: until nothing more is decoded. */
    private void resumeUntilIdle() {
        if (!script.pausesEachLine()) {
            return;
        }
        int before;
        do {
            before = reads;
            decoder.resume();
        } while (reads != before);
    }

    private void enterData() {
        content = new ByteArrayOutputStream();
        refused = null;
        decoder.enterData(script.maxSize(dataPhases++));
    }

    /**
     * SMTP smuggling: no byte at or after a bare CR or LF ever goes out, so content holds a CR
     * only before an LF and an LF only after a CR, and never ends in a CR that may be bare.
     */
    private static void assertNoBareLineEnding(byte[] content) {
        for (int k = 0; k < content.length; k++) {
            if (content[k] == '\r') {
                assertTrue(k + 1 < content.length && content[k + 1] == '\n', "a bare CR went out at " + k);
            } else if (content[k] == '\n') {
                assertTrue(k > 0 && content[k - 1] == '\r', "a bare LF went out at " + k);
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reads++;
        if (msg instanceof SmtpInput.Line line) {
            // No smuggling: nothing inside DATA is ever decoded as a command.
            assertNull(content, () -> "a command decoded inside DATA: " + line.text());
            int limit = inAuthExchange || line.text().regionMatches(true, 0, "AUTH ", 0, 5)
                    ? SmtpLineDecoder.MAX_AUTH_LINE : SmtpLineDecoder.MAX_LINE;
            assertTrue(SessionScript.octets(line) + 1 <= limit, () -> "a line over " + limit + " octets went out");
            decoded.add(new Line(line.text(), line.isUtf8()));
            boolean wasAuth = inAuthExchange;
            inAuthExchange = SessionScript.startsAuthExchange(line.text(), wasAuth);
            decoder.authExchange(inAuthExchange);
            if (SessionScript.startsData(line.text(), wasAuth)) {
                enterData();
            }
            if (script.pausesEachLine()) {
                decoder.pause();
            }
        } else if (msg instanceof SmtpInput.LineTooLong tooLong) {
            assertNull(content, "an over-long line reported inside DATA");
            decoded.add(new TooLong(tooLong.limit()));
            inAuthExchange = false;
            decoder.authExchange(false);
        } else if (msg instanceof SmtpInput.BodyChunk chunk) {
            try {
                assertTrue(content != null, "content outside DATA");
                assertNull(refused, "content after the refusal");
                content.writeBytes(ByteBufUtil.getBytes(chunk.bytes()));
            } finally {
                chunk.bytes().release();
            }
        } else if (msg instanceof SmtpInput.BodyRefused refusal) {
            assertTrue(content != null, "a refusal outside DATA");
            assertNull(refused, "the refusal was sent twice");
            refused = refusal.reason();
        } else if (msg instanceof SmtpInput.BodyEnd end) {
            assertTrue(content != null, "an end of data outside DATA");
            assertEquals(refused, end.result().refusal(), "the end's refusal is not the one sent");
            assertNoBareLineEnding(content.toByteArray());
            decoded.add(new Data(content.toByteArray(), refused, end.result()));
            content = null;
        } else {
            fail("unexpected input " + msg);
        }
    }
}
