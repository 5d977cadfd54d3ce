package org.mxgate.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * Writes an event's message and a line separator in UTF-8, nothing else: the bytes the pattern
 * {@code %msg%n} gives, without building the text again in a layout's buffer first. The protocol
 * log's events are batches of whole JSON lines, a few KB each ({@link ProtocolLog}), so that
 * second copy was most of what writing them allocated.
 */
public final class MessageLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final byte[] SEPARATOR = System.lineSeparator().getBytes(StandardCharsets.UTF_8);

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] message = event.getFormattedMessage().getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[message.length + SEPARATOR.length];
        System.arraycopy(message, 0, line, 0, message.length);
        System.arraycopy(SEPARATOR, 0, line, message.length, SEPARATOR.length);
        return line;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
