package org.mxgate.fuzz;

import java.nio.charset.StandardCharsets;
import org.mxgate.smtp.SmtpInput;

/**
 * The session's part in a fuzz run of {@link org.mxgate.smtp.SmtpLineDecoder}, the same for the
 * decoder under test and for {@link ReferenceDecoding}: a line {@code DATA} starts message
 * content (every second DATA phase may have another size limit than the others), a line starting
 * {@code AUTH} makes the next line a SASL response (which may be 12,288 octets), an over-long
 * line ends that exchange, and the decoder may be paused after each line as the session handler
 * pauses it for its replies.
 *
 * @param startsInData the first byte is already message content (as after a 354)
 * @param pausesEachLine the decoder is paused after every line and resumed once the write is in
 * @param firstLimit the size limit of the first DATA phase, the third, and so on
 * @param secondLimit the size limit of the second DATA phase, the fourth, and so on
 */
public record SessionScript(boolean startsInData, boolean pausesEachLine, long firstLimit, long secondLimit) {

    /** The size limit of the DATA phase with this index (0 for the first). */
    long maxSize(int phase) {
        return phase % 2 == 0 ? firstLimit : secondLimit;
    }

    static boolean startsData(String line, boolean inAuthExchange) {
        return !inAuthExchange && line.equalsIgnoreCase("DATA");
    }

    /** Whether the line after this one is a SASL response. */
    static boolean startsAuthExchange(String line, boolean inAuthExchange) {
        return !inAuthExchange && line.regionMatches(true, 0, "AUTH", 0, 4);
    }

    /** The octets a line held before its line end: UTF-8, or one per char when it was flagged as not UTF-8. */
    static int octets(SmtpInput.Line line) {
        return line.isUtf8() ? line.text().getBytes(StandardCharsets.UTF_8).length : line.text().length();
    }
}
