package org.mxgate.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus text read by a real parser, not by substrings: Debian's python3-prometheus-client
 * ({@code prometheus_client.parser.text_string_to_metric_families}) under {@code /usr/bin/python3}
 * (the system's, where apt installs the package; not whatever python3 comes first on PATH), run
 * as a subprocess that prints each sample it parsed, one per line.
 */
final class PrometheusText {

    private static final String PYTHON = "/usr/bin/python3";

    // Tab-separated: family, type, sample name, value, then label=value pairs; every field
    // percent-encoded, so no label value can break the line apart.
    private static final String PARSER = """
            import sys
            from urllib.parse import quote
            from prometheus_client.parser import text_string_to_metric_families
            q = lambda s: quote(str(s), safe='')
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    fields = [family.name, family.type, s.name, repr(float(s.value))]
                    fields += [q(k) + '=' + q(v) for k, v in sorted(s.labels.items())]
                    print('\\t'.join(q(f) if i < 3 else f for i, f in enumerate(fields)))
            """;

    /** One sample as the parser read it. */
    record Sample(String family, String type, String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    /** Why the parser cannot run here, or null when it can. */
    static String missing() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not installed (Debian's python3 and python3-prometheus-client)";
        }
        try {
            Process check = new ProcessBuilder(PYTHON, "-c", "import prometheus_client").redirectErrorStream(true).start();
            check.getInputStream().readAllBytes();
            if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
                return "python3-prometheus-client not installed for " + PYTHON + " (apt-get install python3-prometheus-client)";
            }
            return null;
        } catch (IOException | InterruptedException e) {
            return "cannot run " + PYTHON + ": " + e;
        }
    }

    /** Every sample of the text; an AssertionError with the parser's complaint when it is not valid Prometheus text. */
    static List<Sample> parse(String text) throws IOException, InterruptedException {
        Process parser = new ProcessBuilder(PYTHON, "-c", PARSER).start();
        try (OutputStream in = parser.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = parser.getInputStream().readAllBytes();
        byte[] err = parser.getErrorStream().readAllBytes();
        if (!parser.waitFor(60, TimeUnit.SECONDS)) {
            parser.destroyForcibly();
            throw new AssertionError("the Prometheus parser did not finish");
        }
        if (parser.exitValue() != 0) {
            throw new AssertionError("not Prometheus text: " + new String(err, StandardCharsets.UTF_8));
        }
        List<Sample> samples = new ArrayList<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\t");
            Map<String, String> labels = new LinkedHashMap<>();
            for (int i = 4; i < fields.length; i++) {
                String[] pair = fields[i].split("=", 2);
                labels.put(decode(pair[0]), decode(pair[1]));
            }
            samples.add(new Sample(decode(fields[0]), decode(fields[1]), decode(fields[2]), labels, number(fields[3])));
        }
        return samples;
    }

    /** The value of the one sample with this name and these labels (and any others); fails unless exactly one. */
    static double value(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> found = find(samples, name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + labels + ": " + found);
        }
        return found.get(0).value();
    }

    static List<Sample> find(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    /** Python's repr of a float: as Java writes it, or {@code inf}, {@code -inf}, {@code nan}. */
    private static double number(String repr) {
        return switch (repr) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(repr);
        };
    }

    private static String decode(String field) {
        return URLDecoder.decode(field, StandardCharsets.UTF_8);
    }
}
