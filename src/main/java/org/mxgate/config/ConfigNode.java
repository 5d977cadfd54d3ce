package org.mxgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);

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

    boolean isMapping() {
        return node instanceof MappingNode;
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
    void allowOnly(Set<String> keys) {
        if (!(node instanceof MappingNode mapping)) {
            return;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            ConfigNode key = new ConfigNode(file, tuple.getKeyNode(), errors);
            String name = key.scalar();
            if (name != null && !seen.add(name)) {
                key.error("duplicate key '" + name + "'");
            }
            if (name != null && !keys.contains(name)) {
                key.error("unknown key '" + name + "' (known here: " + String.join(", ", keys.stream().sorted().toList()) + ")");
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

    String string(String key, String fallback) {
        return get(key).map(ConfigNode::scalar).orElse(fallback);
    }

    String requiredString(String key) {
        Optional<ConfigNode> value = get(key);
        if (value.isEmpty()) {
            error("missing key '" + key + "'");
            return null;
        }
        return value.get().scalar();
    }

    int integer(String key, int fallback, int min, int max) {
        return get(key).map(n -> n.parse(s -> {
            int v;
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, got '" + s + "'");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max);
            }
            return v;
        }, fallback)).orElse(fallback);
    }

    boolean bool(String key, boolean fallback) {
        return get(key).map(n -> n.parse(s -> switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + s + "'");
        }, fallback)).orElse(fallback);
    }

    Duration duration(String key, Duration fallback) {
        return get(key).map(n -> n.parse(ConfigNode::parseDuration, fallback)).orElse(fallback);
    }

    long size(String key, long fallback) {
        return get(key).map(n -> n.parse(ConfigNode::parseSize, fallback)).orElse(fallback);
    }

    /** Parses this scalar; a parse failure becomes an error at this line and the fallback. */
    <T> T parse(Function<String, T> parser, T fallback) {
        String s = scalar();
        if (s == null) {
            return fallback;
        }
        try {
            return parser.apply(s.trim());
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

    static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m, 1h; got '" + s + "'");
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

    static long parseSize(String s) {
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 512KB or 25MB; got '" + s + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        return switch (unit) {
            case "KB" -> n * 1024;
            case "MB" -> n * 1024 * 1024;
            case "GB" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }
}
