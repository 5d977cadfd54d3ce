package org.mxgate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reading the lab's files for LabComposeTest and DeployManifestsTest: YAML maps, key-value files, compose ports, programs. */
final class LabFiles {

    /** Files under lab/ that are not the lab's configuration: its docs, its script, the Postfix image's recipe. */
    private static final Set<String> NOT_CONFIG = Set.of("lab/README.md", "lab/run", "lab/postfix/Dockerfile");

    private LabFiles() {
    }

    static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lab's configuration files, as paths relative to the project ("lab/haproxy/haproxy.cfg"). */
    static List<String> configFiles() {
        try (Stream<Path> files = Files.walk(Path.of("lab"))) {
            return files.filter(Files::isRegularFile).map(Path::toString).filter(f -> !NOT_CONFIG.contains(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object yaml, String what) {
        if (!(yaml instanceof Map)) {
            throw new AssertionError(what + " is not a mapping: " + yaml);
        }
        return (Map<String, Object>) yaml;
    }

    /** main.cf lines "key = value". */
    static Map<String, String> postfixSettings(Path file) {
        Map<String, String> settings = new LinkedHashMap<>();
        read(file.toString()).lines().filter(l -> l.matches("[a-z_0-9]+\\s*=.*"))
                .forEach(l -> settings.put(l.split("=", 2)[0].trim(), l.split("=", 2)[1].trim()));
        return settings;
    }

    /** Lines "key value", e.g. redis.conf. */
    static Map<String, String> spaced(Path file) {
        Map<String, String> settings = new LinkedHashMap<>();
        read(file.toString()).lines().filter(l -> !l.startsWith("#") && l.contains(" "))
                .forEach(l -> settings.put(l.split(" ", 2)[0], l.split(" ", 2)[1].trim()));
        return settings;
    }

    /** The container side of a compose service's "ports" ("127.0.0.1:8026:8025" → 8025). */
    static Set<Integer> publishedContainerPorts(Map<String, Object> service) {
        Set<Integer> ports = new TreeSet<>();
        Object list = service.get("ports");
        for (Object port : list == null ? List.of() : (List<?>) list) {
            String text = port.toString();
            ports.add(Integer.parseInt(text.substring(text.lastIndexOf(':') + 1).replaceFirst("/.*", "")));
        }
        return ports;
    }

    record Output(int exitCode, String text) {
    }

    static Output run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Output(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** "docker compose" (the plugin) or "docker-compose", whichever answers; null when neither does. */
    static List<String> composeClient() {
        for (List<String> client : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            List<String> version = new ArrayList<>(client);
            version.add("version");
            try {
                if (run(version).exitCode() == 0) {
                    return client;
                }
            } catch (IOException e) {
                // Not installed: try the next one.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
