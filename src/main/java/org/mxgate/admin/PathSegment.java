package org.mxgate.admin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One segment of a URL path, as the API's paths carry pool and backend names
 * ({@code /api/backends/mailbox/mx1/drain}): percent-encoded on the way out, everything but
 * RFC 3986's unreserved characters, and decoded on the way in. Unlike form decoding, a
 * {@code +} stays a plus (RFC 3986 2.2: it is literal in a path). Pure.
 */
public final class PathSegment {

    private PathSegment() {
    }

    public static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            // RFC 3986 2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    /** The segment's text; IllegalArgumentException for a broken escape or bytes that are not UTF-8. */
    public static String decode(String segment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw new IllegalArgumentException("broken percent escape in " + segment);
                }
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("broken percent escape in " + segment);
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c > 0x7F) {
                throw new IllegalArgumentException("unescaped non-ASCII character in " + segment);
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8 in " + segment);
        }
    }
}
