package org.mxgate.smtp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Turns a command line into a {@link Command}, and MAIL/RCPT arguments into a {@link PathArgument}. Pure. */
public final class CommandParser {

    private CommandParser() {
    }

    public static Command parse(String line) {
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1).strip();
        return new Command(Verb.of(word), argument);
    }

    /**
     * Parses {@code FROM:<path> KEY=VALUE ...} (keyword "FROM" or "TO"). RFC 5321 4.1.2 puts no space
     * after the colon; like most servers we tolerate spaces there, but nowhere inside the path.
     */
    public static Optional<PathArgument> parsePathArgument(String argument, String keyword) {
        String prefix = keyword + ":";
        if (argument.length() < prefix.length() || !asciiUpperCase(argument.substring(0, prefix.length())).equals(prefix)) {
            return Optional.empty();
        }
        String rest = argument.substring(prefix.length()).stripLeading();
        int close = closingBracket(rest);
        if (close < 0) {
            return Optional.empty();
        }
        String path = rest.substring(0, close + 1);
        String params = rest.substring(close + 1);
        if (!params.isEmpty() && params.charAt(0) != ' ') {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String param : params.strip().split(" +")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String key = asciiUpperCase(eq < 0 ? param : param.substring(0, eq));
            if (key.isEmpty() || parameters.containsKey(key)) {
                return Optional.empty();
            }
            parameters.put(key, eq < 0 ? "" : param.substring(eq + 1));
        }
        return Optional.of(new PathArgument(path, parameters));
    }

    /**
     * RFC 5321 2.4: verbs, keywords and parameter values are case-insensitive in ASCII only.
     * {@code toUpperCase} would also turn the dotless {@code ı} into {@code I} and the long
     * {@code ſ} into {@code S}, so that {@code maıl} were MAIL and {@code ſize} SIZE
     * (CommandParserFuzzTest).
     */
    static String asciiUpperCase(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'a' && chars[i] <= 'z') {
                chars[i] -= 'a' - 'A';
            }
        }
        return new String(chars);
    }

    /**
     * RFC 3461 4: xtext is printable ASCII except "+" and "=", with "+" and two upper-case hex
     * digits standing for any other ASCII character. The decoded text, or empty when the value
     * is no xtext or encodes a non-ASCII byte.
     */
    public static Optional<String> decodeXtext(String value) {
        StringBuilder decoded = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+') {
                if (i + 2 >= value.length() || !isUpperHex(value.charAt(i + 1)) || !isUpperHex(value.charAt(i + 2))) {
                    return Optional.empty();
                }
                int octet = Integer.parseInt(value.substring(i + 1, i + 3), 16);
                if (octet > 0x7f) {
                    return Optional.empty();
                }
                decoded.append((char) octet);
                i += 2;
            } else if (c < '!' || c > '~' || c == '=') {
                return Optional.empty();
            } else {
                decoded.append(c);
            }
        }
        return Optional.of(decoded.toString());
    }

    private static boolean isUpperHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    /** Index of the '>' closing a path that starts with '<', skipping quoted strings; -1 if none. */
    private static int closingBracket(String s) {
        if (s.isEmpty() || s.charAt(0) != '<') {
            return -1;
        }
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
