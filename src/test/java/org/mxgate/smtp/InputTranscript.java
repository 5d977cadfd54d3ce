package org.mxgate.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@link SmtpLineDecoder} handed on, one readable event per input ({@code line NOOP},
 * {@code body a\r\n}, {@code refused BARE_LINE_ENDING}, {@code end 12}). Consecutive body chunks
 * are joined, so the transcript of a run does not depend on how the input was chunked; every
 * chunk is released.
 */
final class InputTranscript extends ChannelInboundHandlerAdapter {

    private final List<String> events = new ArrayList<>();
    private final Consumer<String> onEvent;

    InputTranscript() {
        this(event -> { });
    }

    /** {@code onEvent} runs inside channelRead, as the session handler would react. */
    InputTranscript(Consumer<String> onEvent) {
        this.onEvent = onEvent;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        String event;
        if (msg instanceof SmtpInput.Line line) {
            event = "line " + line.text();
        } else if (msg instanceof SmtpInput.LineTooLong) {
            event = "too long";
        } else if (msg instanceof SmtpInput.BodyChunk chunk) {
            String bytes = chunk.bytes().toString(StandardCharsets.ISO_8859_1);
            chunk.bytes().release();
            if (!events.isEmpty() && events.get(events.size() - 1).startsWith("body ")) {
                events.set(events.size() - 1, events.get(events.size() - 1) + escape(bytes));
                return;
            }
            event = "body " + escape(bytes);
        } else if (msg instanceof SmtpInput.BodyRefused refused) {
            event = "refused " + refused.reason();
        } else if (msg instanceof SmtpInput.BodyEnd end) {
            DataResult result = end.result();
            event = "end " + result.size() + (result.isClean() ? "" : " " + result.refusal());
        } else {
            throw new AssertionError("unexpected input " + msg);
        }
        events.add(event);
        onEvent.accept(event);
    }

    List<String> events() {
        return events;
    }

    /** The body bytes that went out, unescaped; empty when none did. */
    String body() {
        return events.stream().filter(e -> e.startsWith("body ")).findFirst()
                .map(e -> e.substring(5).replace("\\r", "\r").replace("\\n", "\n")).orElse("");
    }

    /** Writes {@code input}, one byte per char (ISO-8859-1), in pieces cut at the given ascending offsets. */
    static void feed(EmbeddedChannel channel, String input, int... cuts) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            ByteBuf piece = Unpooled.copiedBuffer(bytes, from, to - from);
            channel.writeInbound(piece);
            from = to;
        }
    }

    /** Offsets that cut a text of this length into pieces of {@code size} bytes. */
    static int[] every(int size, int length) {
        int[] cuts = new int[Math.max(0, (length - 1) / size)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) * size;
        }
        return cuts;
    }

    static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
