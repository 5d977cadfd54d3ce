package org.mxgate.admin;

/**
 * Text made safe for HTML: in element content and in quoted attribute values alike. Every name
 * on the status page comes from the config or a backend's reply, so every one goes through
 * here. Control characters other than tab and line ends become U+FFFD. Pure.
 */
final class Html {

    private Html() {
    }

    static String escape(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f ? '\ufffd' : c);
            }
        }
        return out.toString();
    }
}
