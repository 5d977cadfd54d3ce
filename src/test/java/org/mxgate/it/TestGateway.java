package org.mxgate.it;

import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.mxgate.Main;
import org.mxgate.config.ConfigLoader;
import org.mxgate.listener.Gateway;
import org.mxgate.policy.RelaySelfTest;

/**
 * An in-process gateway on loopback ports chosen by the system, configured through real files
 * in a temporary directory and the same loader and wiring as {@code mxgate run}.
 * Listeners: "internet" (accepts example.test from anyone) and "internal" (relays for 127.0.0.0/8).
 */
final class TestGateway implements AutoCloseable {

    private final Gateway gateway;
    private final Path directory;

    private TestGateway(Gateway gateway, Path directory) {
        this.gateway = gateway;
        this.directory = directory;
    }

    static TestGateway start(List<Integer> backendPorts) throws Exception {
        return start(backendPorts, "", "");
    }

    /**
     * @param poolKeys extra YAML lines for the pool, each indented by four spaces
     * @param limitKeys extra YAML lines for the limits of both policies, each indented by two spaces
     */
    static TestGateway start(List<Integer> backendPorts, String poolKeys, String limitKeys) throws Exception {
        return start(backendPorts, poolKeys, limitKeys, "shutdown_grace: 2s\n");
    }

    /** @param topKeys extra top-level YAML lines for conf/mxgate.yml */
    static TestGateway start(List<Integer> backendPorts, String poolKeys, String limitKeys, String topKeys)
            throws Exception {
        Path dir = Files.createTempDirectory("mxgate-it-");
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        String servers = backendPorts.stream().map(new java.util.function.Function<Integer, String>() {
            int n;

            @Override
            public String apply(Integer port) {
                n++;
                return "      - { name: b" + n + ", address: 127.0.0.1:" + port + " }";
            }
        }).collect(Collectors.joining("\n"));
        write(dir.resolve("conf/mxgate.yml"), """
                hostname: mx.test.invalid
                """ + topKeys + """
                listeners:
                  - { name: internet, listen: 127.0.0.1:0, policy: internet }
                  - { name: internal, listen: 127.0.0.1:0, policy: internal }
                pools:
                  mailbox:
                """ + poolKeys(poolKeys) + "    servers:\n" + servers + "\n");
        String limits = limitKeys.isEmpty() ? "" : "limits:\n" + limitKeys;
        write(dir.resolve("policies/internet.yml"), "accept_domains: [example.test]\nroute: mailbox\n" + limits);
        write(dir.resolve("policies/internal.yml"),
                "accept_domains: [example.test]\nrelay: { networks: [127.0.0.0/8] }\nroute: mailbox\n" + limits);
        return new TestGateway(Main.start(ConfigLoader.load(dir.resolve("conf/mxgate.yml"), RelaySelfTest::run)), dir);
    }

    /**
     * A gateway from whole files: {@code conf} is conf/mxgate.yml, {@code policies} maps a policy
     * name to the text of policies/NAME.yml.
     */
    static TestGateway startWith(String conf, java.util.Map<String, String> policies) throws Exception {
        return startWith(conf, policies, Ticker.systemTicker());
    }

    /** The same, with the AUTH failure window measured by {@code authClock}, which the test moves on. */
    static TestGateway startWith(String conf, java.util.Map<String, String> policies, Ticker authClock)
            throws Exception {
        Path dir = Files.createTempDirectory("mxgate-it-");
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        write(dir.resolve("conf/mxgate.yml"), conf);
        for (var policy : policies.entrySet()) {
            write(dir.resolve("policies/" + policy.getKey() + ".yml"), policy.getValue());
        }
        return new TestGateway(Main.start(ConfigLoader.load(dir.resolve("conf/mxgate.yml"), RelaySelfTest::run),
                authClock), dir);
    }

    Path configFile() {
        return directory.resolve("conf/mxgate.yml");
    }

    /**
     * An internet listener taking mail for example.test, and one pool, {@code mailbox}, whose
     * keys and servers {@code poolBody} gives (unindented YAML).
     */
    static TestGateway withMailboxPool(String poolBody) throws Exception {
        return startWith("""
                hostname: mx.test.invalid
                shutdown_grace: 1s
                listeners:
                  - { name: internet, listen: 127.0.0.1:0, policy: internet }
                pools:
                  mailbox:
                """ + poolBody.indent(4), java.util.Map.of("internet", "accept_domains: [example.test]\n"));
    }

    /** A policy file of this gateway, for tests that edit it while it runs. */
    Path policyFile(String name) {
        return directory.resolve("policies/" + name + ".yml");
    }

    /** The test defaults, each replaced by a line of the same key in {@code overrides}. */
    private static String poolKeys(String overrides) {
        java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
        for (String line : ("    balance: round_robin\n    connect_timeout: 2s\n    command_timeout: 5s\n"
                + "    data_timeout: 10s\n" + overrides).split("\n")) {
            if (!line.isBlank()) {
                keys.put(line.strip().split(":", 2)[0], line);
            }
        }
        return String.join("\n", keys.values()) + "\n";
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    int internet() {
        return gateway.port("internet");
    }

    int internal() {
        return gateway.port("internal");
    }

    Gateway gateway() {
        return gateway;
    }

    @Override
    public void close() throws IOException {
        try {
            gateway.close();
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
