package org.mxgate.smtp;

import io.netty.buffer.ByteBuf;

/** What {@link SmtpLineDecoder} hands to the session handler. */
public sealed interface SmtpInput {

    /**
     * A command line without its line ending. When its bytes are not UTF-8 (RFC 3629),
     * {@code isUtf8} is false and the text holds one char per byte (ISO-8859-1): no byte is
     * replaced or lost, every 8-bit byte stays a non-ASCII char, and the session refuses the line.
     */
    record Line(String text, boolean isUtf8) implements SmtpInput {

        /** A line that was valid UTF-8 (ASCII included). */
        public Line(String text) {
            this(text, true);
        }
    }

    /**
     * A command line over its limit, including CRLF: 512 octets (RFC 5321 4.5.3.1.4), or 12,288
     * for an AUTH line and a SASL response (RFC 4954 4). Its bytes were dropped.
     */
    record LineTooLong(int limit) implements SmtpInput {
    }

    /** Message bytes in dot-stuffed wire form; the receiver must release them. */
    record BodyChunk(ByteBuf bytes) implements SmtpInput {
    }

    /** The body can no longer be relayed (first bare CR/LF, or over the size limit); sent once. */
    record BodyRefused(DataResult.Refusal reason) implements SmtpInput {
    }

    /** The final {@code CRLF.CRLF} arrived. */
    record BodyEnd(DataResult result) implements SmtpInput {
    }
}
