package org.mxgate.log;

/**
 * A string as a JSON string literal (RFC 8259 7), for the protocol log's lines and the admin
 * API's answers: quotes, backslashes and every control character escaped, so no value can end a
 * line or a string early; a lone surrogate (not UTF-16 text) becomes U+FFFD.
 */
public final class JsonText {

    private JsonText() {
    }

    /**
     * Appends {@code s} in quotes.
     *
     * @param forHtml also escape {@code < > &}, so the JSON stays inert if a browser reads it as
     *                HTML (the admin API); the protocol log keeps them, as admins grep for
     *                {@code <sender>}
     */
    public static StringBuilder quote(StringBuilder out, String s, boolean forHtml) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append("\\ufffd");
                    } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029'
                            || forHtml && (c == '<' || c == '>' || c == '&')) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
