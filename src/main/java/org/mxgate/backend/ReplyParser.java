package org.mxgate.backend;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mxgate.mail.Reply;

/**
 * Turns a backend's reply lines, one at a time and without their line end, into {@link Reply}s
 * by the grammar of RFC 5321 4.2. A line that breaks it throws {@link MalformedReplyException}
 * and the connection must go: after such a line we no longer know which reply answers which
 * command. Pure, no I/O; one instance per connection, as it holds a multi-line reply's lines.
 *
 * <p>What it accepts, and why:
 * <ul>
 * <li>The code is exactly three digits: the first 2 to 5, the second 0 to 5, the third 0 to 9
 *     (RFC 5321 4.2 {@code Reply-code}). No SMTP command allows a 1yz reply (4.2.1) and
 *     {@link Reply} holds none, so a 1yz is a protocol error like any other bad code: the
 *     session is lost, never a reply in hand.</li>
 * <li>After the code: SP and text, {@code -} and text on every line but the last, or nothing
 *     (RFC 5321 4.2 {@code Reply-code [ SP textstring ] CRLF}; 4.2.1: clients MUST be prepared
 *     for the SP to be omitted); anything else is an error.</li>
 * <li>Every line of a reply carries the same code (RFC 5321 4.2.1), or it is an error: a
 *     {@code 250-} line followed by {@code 454} may mean either, and clients disagree on which
 *     line counts, so we take neither.</li>
 * <li>A line is at most {@link #MAX_LINE_OCTETS} octets before its line end. RFC 5321
 *     4.5.3.1.5 allows 512, but real servers send longer rejection texts, and failing a
 *     backend over its prose after the final dot risks a duplicate (RFC 1047), so we take
 *     eight times that, which bounds memory all the same.</li>
 * <li>At most {@link #MAX_LINES} lines make one reply (an EHLO reply has a dozen or two), so a
 *     backend cannot make us hold an endless reply.</li>
 * <li>Text is read as UTF-8, the charset {@link Reply#wireBytes()} writes, so text a backend
 *     sends in UTF-8 reaches the client as it was sent; control characters other than HT become
 *     {@code ?}, as Postfix's client does with them. A CR inside a line is an error: a peer
 *     that ends lines at a bare CR means other replies than we would read, and we never guess
 *     at framing.</li>
 * </ul>
 */
final class ReplyParser {

    static final int MAX_LINE_OCTETS = 4096;
    static final int MAX_LINES = 100;

    /** The code of the reply whose lines are being read, or 0 between replies. */
    private int code;
    private final List<String> texts = new ArrayList<>();

    /** Thrown for a line that breaks the reply grammar; its message names the line and the rule. */
    static final class MalformedReplyException extends RuntimeException {
        MalformedReplyException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Takes one line, without its CRLF or LF. Returns the reply when this line is its last,
     * null while more lines are to come.
     */
    Reply line(byte[] line) {
        // RFC 5321 4.5.3.1.5 says 512 octets; the class comment says why we take more.
        if (line.length > MAX_LINE_OCTETS) {
            throw tooLong();
        }
        // RFC 5321 4.2: Reply-code = %x32-35 %x30-35 %x30-39
        if (line.length < 3 || !within(line[0], '2', '5') || !within(line[1], '0', '5') || !within(line[2], '0', '9')) {
            throw malformed(line, "no reply code 200 to 559 at its start");
        }
        boolean last;
        // RFC 5321 4.2.1: the SP of a last line with no text may be omitted.
        if (line.length == 3 || line[3] == ' ') {
            last = true;
        } else if (line[3] == '-') {
            last = false;
        } else {
            throw malformed(line, "the code is followed by neither SP, '-' nor the line end");
        }
        int lineCode = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        if (code != 0 && lineCode != code) {
            // RFC 5321 4.2.1: every line of a multiline reply carries the same code.
            throw malformed(line, "code " + lineCode + " inside a reply that began with " + code);
        }
        // A bound of our own: no RFC limits the lines of a reply, but memory must be bounded.
        if (texts.size() == MAX_LINES) {
            throw malformed(line, "more than " + MAX_LINES + " lines in one reply");
        }
        code = lineCode;
        texts.add(text(line));
        if (!last) {
            return null;
        }
        Reply reply = Reply.parse(code, texts);
        code = 0;
        texts.clear();
        return reply;
    }

    static MalformedReplyException tooLong() {
        return new MalformedReplyException("a reply line longer than " + MAX_LINE_OCTETS + " octets");
    }

    private static String text(byte[] line) {
        if (line.length <= 4) {
            return "";
        }
        byte[] text = new byte[line.length - 4];
        for (int i = 4; i < line.length; i++) {
            byte b = line[i];
            if (b == '\r') {
                throw malformed(line, "a CR inside the line");
            }
            text[i - 4] = (b >= 0 && b < ' ' && b != '\t') || b == 0x7f ? (byte) '?' : b;
        }
        return new String(text, StandardCharsets.UTF_8);
    }

    private static boolean within(byte b, char low, char high) {
        return b >= low && b <= high;
    }

    /** The line as an admin reads it in a log: at most 60 characters, control bytes and non-ASCII as '?'. */
    private static MalformedReplyException malformed(byte[] line, String rule) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < Math.min(line.length, 60); i++) {
            byte b = line[i];
            shown.append(b >= ' ' && b < 0x7f ? (char) b : '?');
        }
        String cut = line.length > 60 ? "..." : "";
        return new MalformedReplyException("bad reply line \"" + shown + cut + "\": " + rule);
    }
}
