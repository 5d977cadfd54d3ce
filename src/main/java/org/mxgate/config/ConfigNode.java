package org.mxgate.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML node that remembers its file and line, so every value read from it can be refused with
 * {@code file:line: reason}. Reading never throws: a bad value is recorded and a default returned,
 * so one pass reports every mistake in a file.
 */
final class ConfigNode {

    private final Path file;
    private final Node node;
    private final List<ConfigError> errors;

    ConfigNode(Path file, Node node, List<ConfigError> errors) {
        this.file = file;
        this.node = node;
        this.errors = errors;
    }

    int line() {
        return node == null ? 1 : node.getStartMark().getLine() + 1;
    }

    void error(String reason) {
        errors.add(new ConfigError(file, line(), reason));
    }

    Path file() {
        return file;
    }

    /** A path given in this file, which is relative to the file's directory. */
    Path resolve(Path path) {
        return file.getParent().resolve(path).normalize();
    }

    /** The entries of a mapping, in file order; a non-mapping is an error and yields none. */
    Map<String, ConfigNode> entries() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!(node instanceof MappingNode mapping)) {
            error("expected a mapping (key: value)");
            return out;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            ConfigNode key = new ConfigNode(file, tuple.getKeyNode(), errors);
            String name = key.scalar();
            if (name == null) {
                continue;
            }
            if (out.containsKey(name)) {
                key.error("duplicate key '" + name + "'");
            }
            out.put(name, new ConfigNode(file, tuple.getValueNode(), errors));
        }
        return out;
    }

    /** Refuses keys this mapping does not know: a typo must not silently fall back to a default. */
    void allowOnly(Block block) {
        if (!(node instanceof MappingNode mapping)) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            ConfigNode key = new ConfigNode(file, tuple.getKeyNode(), errors);
            String name = key.scalar();
            if (name != null && !seen.add(name)) {
                key.error("duplicate key '" + name + "'");
            }
            if (name != null && !block.knows(name)) {
                key.error("unknown key '" + name + "' (known here: " + block.known() + ")");
            }
        }
    }

    Optional<ConfigNode> get(String key) {
        if (!(node instanceof MappingNode mapping)) {
            return Optional.empty();
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return Optional.of(new ConfigNode(file, tuple.getValueNode(), errors));
            }
        }
        return Optional.empty();
    }

    ConfigNode child(String key) {
        return get(key).orElse(new ConfigNode(file, null, errors));
    }

    String scalar() {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        error("expected a single value");
        return null;
    }

    /**
     * The value of {@code key} in this mapping: parsed and checked as the key says, or its default
     * when absent or wrong (a wrong or missing required one is recorded at its line).
     */
    <T> T value(Key<T> key) {
        Optional<ConfigNode> value = get(key.name());
        if (value.isEmpty()) {
            if (key.required()) {
                error("missing key '" + key.name() + "'");
            }
            return key.fallback();
        }
        return value.get().read(key.parser(), key.fallback());
    }

    /** Parses this scalar; a parse failure becomes an error at this line and the fallback. */
    <T> T parse(Function<String, T> parser, T fallback) {
        return read(text -> parser.apply(text.trim()), fallback);
    }

    private <T> T read(Function<String, T> parser, T fallback) {
        String s = scalar();
        if (s == null) {
            return fallback;
        }
        try {
            return parser.apply(s);
        } catch (IllegalArgumentException e) {
            error(e.getMessage());
            return fallback;
        }
    }

    List<ConfigNode> list(String key) {
        Optional<ConfigNode> value = get(key);
        if (value.isEmpty()) {
            return List.of();
        }
        Node n = value.get().node;
        if (!(n instanceof SequenceNode seq)) {
            value.get().error("expected a list for '" + key + "'");
            return List.of();
        }
        List<ConfigNode> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            out.add(new ConfigNode(file, item, errors));
        }
        return out;
    }
}
