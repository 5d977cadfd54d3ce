package org.mxgate.smtp;

import io.netty.buffer.ByteBuf;

/** What {@link SmtpLineDecoder} hands to the session handler. */
public sealed interface SmtpInput {

    /** A command line without its line ending. */
    record Line(String text) implements SmtpInput {
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
