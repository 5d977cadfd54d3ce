package org.mxgate.config;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The keys one YAML mapping may hold: its values, each declared as a {@link Key}, and the names of
 * the blocks and lists nested in it, which have readers of their own. Any other key is refused
 * with this list, so a typo never falls back to a default silently.
 */
record Block(Set<String> names) {

    Block {
        names = Set.copyOf(names);
    }

    static Block of(Key<?>... keys) {
        return new Block(Set.copyOf(Arrays.stream(keys).map(Key::name).toList()));
    }

    /** This block with the names of its nested blocks and lists. */
    Block with(String... nested) {
        return new Block(Set.copyOf(Stream.concat(names.stream(), Arrays.stream(nested)).toList()));
    }

    /** The names in alphabetical order, as the refusal lists them. */
    String known() {
        return String.join(", ", new TreeSet<>(names));
    }
}
