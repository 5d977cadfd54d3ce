package org.mxgate.log;

/**
 * Text from a client (a login, a PROXY header, an exception message that quotes input) made safe
 * for one line of the application log. CR, LF and tab become {@code \r}, {@code \n} and {@code \t},
 * a backslash is doubled, and every other control, format (bidi overrides, zero-width), line or
 * paragraph separator, private-use, unassigned or lone surrogate character becomes {@code \}{@code uXXXX}
 * for each of its UTF-16 units. So a client can neither start a log line of its own nor hide text,
 * and what is logged still reads back to what was sent. Printable text, non-ASCII letters
 * included, is kept as it is.
 */
public final class LogText {

    private LogText() {
    }

    /** {@code String.valueOf(value)}, escaped. */
    public static String escape(Object value) {
        String text = String.valueOf(value);
        if (text.codePoints().allMatch(c -> c != '\\' && isPrintable(c))) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int units = Character.charCount(c);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (isPrintable(c)) {
                        out.appendCodePoint(c);
                    } else {
                        for (int u = i; u < i + units; u++) {
                            out.append(String.format("\\u%04x", (int) text.charAt(u)));
                        }
                    }
                }
            }
            i += units;
        }
        return out.toString();
    }

    /** Whether a code point may stand in a log line as it is. */
    static boolean isPrintable(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED -> {
                return false;
            }
            default -> {
                return true;
            }
        }
    }
}
