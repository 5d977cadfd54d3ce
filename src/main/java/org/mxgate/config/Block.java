package org.mxgate.config;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The keys one YAML mapping may hold, each declared once on its block with its name, type, check
 * and default ({@code POOL.integer("max_attempts", 3, 1, 20)}), and the names of the blocks and
 * lists nested in it, which have readers of their own. Any other key is refused with this list,
 * so a typo never falls back to a default silently. Blocks are filled while their reader class
 * is initialised and only read after.
 */
final class Block {

    private final Set<String> names = new TreeSet<>();

    /** @param nested the keys whose values are blocks or lists of their own */
    Block(String... nested) {
        names.addAll(Set.of(nested));
    }

    /** A key whose text, without surrounding blanks, is checked and turned into a value by {@code parser}. */
    <T> Key<T> key(String name, T fallback, Function<String, T> parser) {
        return add(new Key<>(name, text -> parser.apply(text.trim()), fallback, false));
    }

    /** A string taken exactly as written. */
    Key<String> text(String name, String fallback) {
        return add(new Key<>(name, Function.identity(), fallback, false));
    }

    Key<String> requiredText(String name) {
        return add(new Key<>(name, Function.identity(), null, true));
    }

    Key<Integer> integer(String name, int fallback, int min, int max) {
        return key(name, fallback, text -> Key.parseInteger(name, text, min, max));
    }

    Key<Boolean> bool(String name, boolean fallback) {
        return key(name, fallback, Key::parseBoolean);
    }

    Key<Duration> duration(String name, Duration fallback) {
        return key(name, fallback, Key::parseDuration);
    }

    Key<Long> size(String name, long fallback) {
        return key(name, fallback, Key::parseSize);
    }

    /** One of an enum's constants, written in lower case in the file; the fallback names the enum. */
    <E extends Enum<E>> Key<E> choice(String name, E fallback) {
        return key(name, fallback, text -> Key.oneOf(name, fallback.getDeclaringClass(), text));
    }

    private <T> Key<T> add(Key<T> key) {
        names.add(key.name());
        return key;
    }

    boolean knows(String name) {
        return names.contains(name);
    }

    /** Every key of this block, in alphabetical order, as a refusal lists them. */
    String known() {
        return String.join(", ", names);
    }
}
