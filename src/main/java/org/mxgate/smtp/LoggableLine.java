package org.mxgate.smtp;

/**
 * A client line as the protocol log may show it. AUTH responses and initial responses carry
 * passwords, so they never reach a log; bytes that are not UTF-8 show as {@code \xNN}. Pure;
 * must never let a SASL response through, whatever it looks like (SmtpSessionTlsAuthTest).
 */
final class LoggableLine {

    private LoggableLine() {
    }

    /** {@link #of(String, boolean)} for a decoded line; bytes that are not UTF-8 show as {@code \xNN}. */
    static String of(SmtpInput.Line line, boolean inAuthExchange) {
        String text = of(line.text(), inAuthExchange);
        if (line.isUtf8()) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                escaped.append(c);
            } else {
                escaped.append(String.format("\\x%02X", (int) c));
            }
        }
        return escaped.toString();
    }

    /** @param inAuthExchange whether the line is the client's response inside an AUTH exchange */
    static String of(String line, boolean inAuthExchange) {
        if (inAuthExchange) {
            return SaslResponses.isCancel(line) ? line : "(AUTH response not logged)";
        }
        if (line.regionMatches(true, 0, "AUTH ", 0, 5)) {
            String[] words = line.split(" ");
            // RFC 4422 3.1: a mechanism name is 1 to 20 upper-case letters, digits, "-" or "_".
            // Any other word (up to 12,288 octets on an AUTH line) may be a response sent
            // without its mechanism: not logged.
            if (words.length == 2 && !words[1].matches("[A-Z0-9_-]{1,20}") && AuthExchange.of(words[1]).isEmpty()) {
                return words[0] + " (argument not logged)";
            }
            return words.length > 2 ? words[0] + " " + words[1] + " (initial response not logged)" : line;
        }
        return line;
    }
}
