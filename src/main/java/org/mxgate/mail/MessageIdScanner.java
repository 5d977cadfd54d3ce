package org.mxgate.mail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Finds the Message-ID of a message as its content streams past, for the protocol log's
 * {@code delivered} line, so an admin can follow a message by the id its sender and recipient
 * see. Reads the header section only (RFC 5322 2.1: up to the first empty line), at most
 * {@link #MAX_HEADER_BYTES} of it, and keeps at most {@link #MAX_VALUE_BYTES} of the value: a
 * client cannot make it hold more. Any chunking of the same bytes gives the same id.
 * Not thread-safe: the client's event loop owns it.
 */
public final class MessageIdScanner {

    /** Header sections of real mail stay well below this; past it the scan gives up. */
    static final int MAX_HEADER_BYTES = 256 * 1024;
    /** RFC 5322 2.1.1: a line is at most 998 characters; a real Message-ID is far shorter. */
    static final int MAX_VALUE_BYTES = 998;

    private static final byte[] NAME = "message-id:".getBytes(StandardCharsets.US_ASCII);

    private enum State { LINE_START, NAME, VALUE, VALUE_CR, VALUE_LINE_END, SKIP, SKIP_CR, DONE }

    private State state = State.LINE_START;
    private int namePosition;
    private long scanned;
    private byte[] value;
    private int valueLength;
    private String messageId;

    /** Reads these bytes of the content (positions of {@code content} are left as they are). */
    public void scan(ByteBuffer content) {
        int limit = content.limit();
        for (int i = content.position(); i < limit && state != State.DONE; i++) {
            if (state == State.SKIP) {
                // The rest of a field that is not the Message-ID: straight to its line end.
                int end = i;
                while (end < limit && content.get(end) != '\r' && content.get(end) != '\n') {
                    end++;
                }
                if (scanned + (end - i) > MAX_HEADER_BYTES) {
                    scanned = MAX_HEADER_BYTES;
                    finish();
                    return;
                }
                scanned += end - i;
                i = end;
                if (i == limit) {
                    return;
                }
            }
            if (++scanned > MAX_HEADER_BYTES) {
                finish();
                return;
            }
            step(content.get(i));
        }
    }

    /** The first Message-ID header's value, unfolded and trimmed, or null when there is none (yet). */
    public String messageId() {
        if (state == State.VALUE_LINE_END) {
            // The content ended right after the field (a message of headers only).
            found();
        }
        return messageId;
    }

    private void step(byte b) {
        switch (state) {
            case LINE_START -> {
                if (b == '\r' || b == '\n') {
                    // An empty line ends the header section.
                    finish();
                } else {
                    namePosition = 0;
                    state = State.NAME;
                    name(b);
                }
            }
            case NAME -> name(b);
            case VALUE -> {
                if (b == '\r') {
                    state = State.VALUE_CR;
                } else if (b == '\n') {
                    state = State.VALUE_LINE_END;
                } else {
                    keep(b);
                }
            }
            case VALUE_CR -> state = b == '\n' ? State.VALUE_LINE_END : valueGoesOn(b);
            case VALUE_LINE_END -> {
                // RFC 5322 2.2.3: a line starting with a blank continues the field (folding).
                if (b == ' ' || b == '\t') {
                    keep(b);
                    state = State.VALUE;
                } else {
                    found();
                    state = State.LINE_START;
                    step(b);
                }
            }
            case SKIP -> state = b == '\r' ? State.SKIP_CR : b == '\n' ? State.LINE_START : State.SKIP;
            case SKIP_CR -> state = b == '\n' ? State.LINE_START : b == '\r' ? State.SKIP_CR : State.SKIP;
            case DONE -> { }
        }
    }

    private void name(byte b) {
        int lower = b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
        if (lower != NAME[namePosition]) {
            state = b == '\r' ? State.SKIP_CR : b == '\n' ? State.LINE_START : State.SKIP;
            return;
        }
        if (++namePosition == NAME.length) {
            if (messageId != null || value != null) {
                // Only the first Message-ID counts (RFC 5322 3.6 allows one).
                state = State.SKIP;
            } else {
                value = new byte[MAX_VALUE_BYTES];
                state = State.VALUE;
            }
        }
    }

    /** A bare CR inside the value: kept as part of it, and the value goes on. */
    private State valueGoesOn(byte b) {
        keep((byte) '\r');
        if (b == '\r') {
            return State.VALUE_CR;
        }
        keep(b);
        return State.VALUE;
    }

    private void keep(byte b) {
        if (valueLength < value.length) {
            value[valueLength++] = b;
        }
    }

    private void found() {
        if (value != null && messageId == null) {
            messageId = new String(value, 0, valueLength, StandardCharsets.UTF_8).strip();
            value = null;
        }
    }

    private void finish() {
        if (state == State.VALUE_LINE_END || state == State.VALUE || state == State.VALUE_CR) {
            found();
        }
        value = null;
        state = State.DONE;
    }
}
