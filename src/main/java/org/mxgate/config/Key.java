package org.mxgate.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One key of a YAML block, declared once on its {@link Block}: its name, how its text becomes a
 * value (a wrong one is refused with the reason an admin reads after {@code file:line:}), and the
 * value when the key is absent. docs/configuration.md gives the same names and defaults. The
 * parsers shared by every block live here too.
 *
 * @param parser the scalar's text to a value; throws IllegalArgumentException with the reason
 * @param required an absent key is refused ("missing key"), and the value is then the fallback
 */
record Key<T>(String name, Function<String, T> parser, T fallback, boolean required) {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);

    static int parseInteger(String name, String text, int min, int max) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
        }
        return value;
    }

    static boolean parseBoolean(String text) {
        return switch (text) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
        };
    }

    /**
     * The one parser of every choice in the files: {@code word} as a constant of {@code type},
     * in any case, or the refusal that lists every constant: {@code tls must be none, starttls
     * or implicit, got 'yes'}.
     */
    static <E extends Enum<E>> E oneOf(String what, Class<E> type, String word) {
        try {
            return Enum.valueOf(type, word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String[] words = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .toArray(String[]::new);
            String all = String.join(", ", Arrays.copyOf(words, words.length - 1)) + " or " + words[words.length - 1];
            throw new IllegalArgumentException(what + " must be " + all + ", got '" + word + "'");
        }
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m, 1h; got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 512KB or 25MB; got '" + text + "'");
        }
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit) {
            case "KB" -> 1024L;
            case "MB" -> 1024L * 1024;
            case "GB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        // A size that does not fit is refused, never wrapped around into another limit.
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
    }
}
