package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxgate.net.Cidr;
import org.mxgate.net.HostPort;
import org.mxgate.net.NetworkSet;

/**
 * ConfigLoader: a valid set loads with the documented defaults, and each mistake (unknown or
 * duplicate key, wrong type, value out of range, bad CIDR, missing file) is refused once, as
 * {@code file:line: reason}, with every mistake of a set reported together.
 */
class ConfigLoaderTest {

    private static final String MINIMAL = ConfigFiles.MINIMAL;
    private static final String MINIMAL_POLICY = ConfigFiles.MINIMAL_POLICY;

    @TempDir
    Path dir;

    @Test
    void minimalConfigurationLoadsWithDefaults() throws Exception {
        write("conf/mxgate.yml", MINIMAL);
        write("policies/internet.yml", MINIMAL_POLICY);
        GatewayConfig config = ConfigLoader.load(dir.resolve("conf/mxgate.yml"));

        assertEquals(conf(), config.file());
        assertEquals("localhost", config.hostname());
        assertEquals(List.of(new ListenerConfig("internet", new HostPort("127.0.0.1", 2525), "internet", ProxyProtocolConfig.NONE, null)), config.listeners());
        assertEquals(new PoolConfig("mailbox", PoolConfig.Balance.WEIGHTED_ROUND_ROBIN, 3, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(8), 8, Duration.ofSeconds(30),
                List.of(new ServerConfig("127.0.0.1:3025", new HostPort("127.0.0.1", 3025), 1)),
                PoolConfig.ForwardClientIp.NONE, null, null, Duration.ofSeconds(30), Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Map.of()),
                config.pools().get("mailbox"));
        PolicyConfig policy = config.policyOf(config.listeners().get(0));
        assertEquals("internet", policy.name());
        assertEquals(policyFile("internet"), policy.file());
        assertEquals(List.of("example.test"), policy.acceptDomains());
        assertTrue(policy.relayNetworks().isEmpty(), "no relay network unless configured");
        assertEquals("mailbox", policy.routes().get("*"), "the only pool is the default route");
        assertEquals(LimitsConfig.DEFAULTS, policy.limits());
        assertEquals(new LimitsConfig(25L * 1024 * 1024, 100, 10, Duration.ofMinutes(5)), LimitsConfig.DEFAULTS);
        assertEquals(new SpoolConfig(1024 * 1024, Path.of(System.getProperty("java.io.tmpdir"))), config.spool());
    }

    @Test
    void everyKeySetIsRead() throws Exception {
        write("conf/mxgate.yml", """
                hostname: mx.example.test
                policy_dir: rules
                listeners:
                  - name: internet
                    listen: "[::1]:2525"
                    policy: public
                  - name: internal
                    listen: 127.0.0.1:10025
                pools:
                  mailbox:
                    balance: round_robin
                    max_attempts: 2
                    connect_timeout: 500ms
                    command_timeout: 45s
                    data_timeout: 10m
                    time_budget: 1h
                    idle_connections: 0
                    idle_timeout: 1d
                    servers:
                      - { name: mx1, address: 127.0.0.1:3025, weight: 5 }
                      - { name: mx2, address: "[::1]:3026" }
                  archive:
                    servers:
                      - { address: archive.example.test:25 }
                spool:
                  memory_limit: 512KB
                  directory: ../spool
                """);
        Files.createDirectories(dir.resolve("spool"));
        write("conf/rules/public.yml", """
                accept_domains: [example.test, "*.example.test"]
                route: mailbox
                limits:
                  max_message_size: 10MB
                  max_recipients: 50
                  max_errors: 3
                  idle_timeout: 90s
                """);
        write("conf/rules/internal.yml", """
                relay:
                  networks: [10.0.0.0/8, "2001:db8::/32"]
                  authenticated: false
                route: archive
                """);
        GatewayConfig config = ConfigLoader.load(dir.resolve("conf/mxgate.yml"));

        assertEquals("mx.example.test", config.hostname());
        assertEquals(List.of(new ListenerConfig("internet", new HostPort("::1", 2525), "public", ProxyProtocolConfig.NONE, null),
                new ListenerConfig("internal", new HostPort("127.0.0.1", 10025), "internal", ProxyProtocolConfig.NONE, null)), config.listeners());
        assertEquals(new PoolConfig("mailbox", PoolConfig.Balance.ROUND_ROBIN, 2, Duration.ofMillis(500),
                Duration.ofSeconds(45), Duration.ofMinutes(10), Duration.ofHours(1), 0, Duration.ofDays(1),
                List.of(new ServerConfig("mx1", new HostPort("127.0.0.1", 3025), 5),
                        new ServerConfig("mx2", new HostPort("::1", 3026), 1)),
                PoolConfig.ForwardClientIp.NONE, null, null, Duration.ofSeconds(30), Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Map.of()),
                config.pools().get("mailbox"));
        assertEquals(List.of(new ServerConfig("archive.example.test:25", new HostPort("archive.example.test", 25), 1)),
                config.pools().get("archive").servers());

        PolicyConfig pub = config.policies().get("public");
        assertEquals(dir.resolve("conf/rules/public.yml").toAbsolutePath().normalize(), pub.file());
        assertEquals(List.of("example.test", "*.example.test"), pub.acceptDomains());
        assertEquals("mailbox", pub.routes().get("*"));
        assertEquals(new LimitsConfig(10L * 1024 * 1024, 50, 3, Duration.ofSeconds(90)), pub.limits());

        PolicyConfig internal = config.policies().get("internal");
        assertEquals(new NetworkSet(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32"))), internal.relayNetworks());
        assertEquals("archive", internal.routes().get("*"));
        assertEquals(new SpoolConfig(512 * 1024, dir.resolve("spool").toAbsolutePath().normalize()), config.spool(),
                "relative to the file, as every path in it");
    }

    @Test
    void dnsblBlockIsReadWithItsDefaults() throws Exception {
        write("conf/mxgate.yml", MINIMAL + """
                dnsbl:
                  zones: [ { zone: bl.test } ]
                """);
        write("policies/internet.yml", MINIMAL_POLICY + "dnsbl: { enabled: true }\n");
        DnsblConfig defaults = ConfigLoader.load(conf()).dnsbl();
        assertEquals(new DnsblConfig(List.of(), Duration.ofSeconds(2), List.of(new DnsblConfig.Zone("bl.test", 1.0, List.of(), false)),
                List.of(), Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofSeconds(5), 100_000), defaults);

        write("conf/mxgate.yml", MINIMAL + """
                dnsbl:
                  resolvers: ["127.0.0.1:5353"]
                  timeout: 1s
                  zones: [ { zone: bl.test, weight: 0.5, codes: [127.0.0.2], fail: closed } ]
                  cache: { min_ttl: 30s, max_ttl: 10m, failure_ttl: 2s, size: 10 }
                """);
        DnsblConfig set = ConfigLoader.load(conf()).dnsbl();
        assertEquals(Duration.ofSeconds(30), set.minTtl());
        assertEquals(Duration.ofMinutes(10), set.maxTtl());
        assertEquals(Duration.ofSeconds(2), set.failureTtl());
        assertEquals(10, set.cacheSize());
        assertEquals(List.of(new DnsblConfig.Zone("bl.test", 0.5, List.of("127.0.0.2"), true)), set.zones());
    }

    @Test
    void reserveForAListenerThatExistsLoads() throws Exception {
        write("conf/mxgate.yml", MINIMAL.replace("    servers:", "    reserve: { internet: 30% }\n    servers:"));
        write("policies/internet.yml", MINIMAL_POLICY);
        assertEquals(Map.of("internet", 30), ConfigLoader.load(conf()).pools().get("mailbox").reserve());
    }

    @Test
    void spoolDirectoryThatCannotBeWrittenIsRefused() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        write("conf/mxgate.yml", MINIMAL + "spool:\n  directory: ../spool\n");
        write("policies/internet.yml", MINIMAL_POLICY);
        assertTrue(spool.toFile().setWritable(false, false));
        try {
            // root may write anywhere; the check asks the system, as the gateway will.
            Assumptions.assumeFalse(Files.isWritable(spool), "running as a user who may write to a read-only directory");
            assertEquals(List.of(conf() + ":8: spool directory " + spool.toAbsolutePath().normalize()
                    + " is not writable by the user mxgate runs as"), errors());
        } finally {
            spool.toFile().setWritable(true, false);
        }
    }

    static Stream<Arguments> singleMistakes() {
        String listener = "listeners:\n  - { name: internet, listen: 127.0.0.1:2525 }\n";
        String server = "      - { address: 127.0.0.1:3025 }\n";
        String pool = "pools:\n  mailbox:\n";
        return Stream.of(
                // conf/mxgate.yml
                mistake("hostname: mx.example.test\nhostnme: typo\n" + MINIMAL, MINIMAL_POLICY,
                        "conf", 2, "unknown key 'hostnme'"),
                mistake("hostname: a.example.test\nhostname: b.example.test\n" + MINIMAL, MINIMAL_POLICY,
                        "conf", 2, "duplicate key 'hostname'"),
                mistake("hostname: [a, b]\n" + MINIMAL, MINIMAL_POLICY, "conf", 1, "expected a single value"),
                mistake("listeners:\n  - { name: internet, listen: 127.0.0.1:2525, polcy: x }\n"
                        + MINIMAL.substring(MINIMAL.indexOf("pools:")), MINIMAL_POLICY, "conf", 2, "unknown key 'polcy'"),
                mistake(listener + pool + "    max_attempt: 2\n    servers:\n" + server, MINIMAL_POLICY,
                        "conf", 5, "unknown key 'max_attempt'"),
                mistake(listener + pool + "    max_attempts: many\n    servers:\n" + server, MINIMAL_POLICY,
                        "conf", 5, "many"),
                mistake(listener + pool + "    max_attempts: 0\n    servers:\n" + server, MINIMAL_POLICY,
                        "conf", 5, "max_attempts must be between 1 and 20"),
                mistake(listener + pool + "    connect_timeout: soon\n    servers:\n" + server, MINIMAL_POLICY,
                        "conf", 5, "expected a duration"),
                mistake(listener + pool + "    balance: random\n    servers:\n" + server, MINIMAL_POLICY,
                        "conf", 5, "balance must be round_robin, weighted_round_robin, least_connections or priority, got 'random'"),
                mistake(listener + pool + "    servers:\n      - { address: 127.0.0.1:3025, weight: 0 }\n", MINIMAL_POLICY,
                        "conf", 6, "weight must be between 1 and 1000"),
                mistake(listener + pool + "    servers:\n      - { address: 127.0.0.1:3025, address: 127.0.0.1:3026 }\n",
                        MINIMAL_POLICY, "conf", 6, "duplicate key 'address'"),
                mistake(listener + pool + "    servers:\n" + server + "  mailbox:\n    servers:\n" + server, MINIMAL_POLICY,
                        "conf", 7, "duplicate key 'mailbox'"),
                mistake(MINIMAL + "spool:\n  memory_limit: lots\n", MINIMAL_POLICY, "conf", 8, "expected a size"),
                mistake(MINIMAL + "listeners: []\n", MINIMAL_POLICY, "conf", 7, "duplicate key 'listeners'"),
                // policies/internet.yml
                mistake(MINIMAL, MINIMAL_POLICY + "relay_networks: [10.0.0.0/8]\n", "policy", 2, "unknown key 'relay_networks'"),
                mistake(MINIMAL, MINIMAL_POLICY + "accept_domains: [other.test]\n", "policy", 2, "duplicate key 'accept_domains'"),
                mistake(MINIMAL, "accept_domains: example.test\n", "policy", 1, "expected a list for 'accept_domains'"),
                mistake(MINIMAL, "accept_domains:\n  - example.test\n  - user@example.test\n", "policy", 3,
                        "not a domain or *.domain pattern: 'user@example.test'"),
                mistake(MINIMAL, MINIMAL_POLICY + "relay:\n  networks: [10.0.0.0/33]\n", "policy", 3,
                        "prefix length out of range in 10.0.0.0/33"),
                mistake(MINIMAL, MINIMAL_POLICY + "relay:\n  networks:\n    - 10.0.0.0/8\n    - example.test\n", "policy", 5,
                        "not an IP address: example.test"),
                mistake(MINIMAL, MINIMAL_POLICY + "relay:\n  networks: [\"2001:db8::/129\"]\n", "policy", 3,
                        "prefix length out of range"),
                mistake(MINIMAL, MINIMAL_POLICY + "relay:\n  authenticated: true\n", "policy", 3,
                        "relay.authenticated needs auth: { enabled: true }"),
                mistake(MINIMAL, MINIMAL_POLICY + "auth: { sender_login: true }\n", "policy", 2,
                        "sender_login needs auth: { enabled: true }"),
                mistake(MINIMAL, MINIMAL_POLICY + "auth: { plaintext: true }\n", "policy", 2,
                        "unknown key 'plaintext'"),
                // TLS and AUTH: never a password in the clear, never a policy nobody can satisfy.
                mistake(MINIMAL, MINIMAL_POLICY + "auth: { enabled: true }\n", "conf", 2,
                        "enables auth, which is offered only over TLS"),
                mistake(MINIMAL, MINIMAL_POLICY + "require_tls: true\n", "conf", 2,
                        "sets require_tls: no client could ever send"),
                mistake("listeners:\n  - { name: internet, listen: 127.0.0.1:2525, tls: yes }\n"
                        + MINIMAL.substring(MINIMAL.indexOf("pools:")), MINIMAL_POLICY, "conf", 2,
                        "tls must be none, starttls or implicit, got 'yes'"),
                mistake(listener + pool + "    tls: maybe\n    servers:\n" + server, MINIMAL_POLICY,
                        "conf", 5, "tls must be none, opportunistic or required, got 'maybe'"),
                mistake(listener + pool + "    tls: opportunistic\n    tls_insecure: true\n    servers:\n" + server,
                        MINIMAL_POLICY, "conf", 5, "tls_trust and tls_insecure apply to tls: required only"),
                mistake(listener + pool + "    tls: required\n    tls_trust: no-such-ca.pem\n    servers:\n" + server,
                        MINIMAL_POLICY, "conf", 6, "no-such-ca.pem does not exist"),
                mistake(MINIMAL + "auth: { max_failures_per_client: 0 }\n", MINIMAL_POLICY, "conf", 7,
                        "max_failures_per_client must be between 1 and 10000"),
                mistake(MINIMAL + "tls: { certificate: a.crt, cert: b.crt }\n", MINIMAL_POLICY, "conf", 7,
                        "unknown key 'cert'"),
                mistake(MINIMAL, MINIMAL_POLICY + "limits:\n  max_recipients: lots\n", "policy", 3, "lots"),
                mistake(MINIMAL, MINIMAL_POLICY + "limits:\n  max_errors: 0\n", "policy", 3, "max_errors must be between 1 and 1000"),
                mistake(MINIMAL, MINIMAL_POLICY + "limits:\n  max_message_size: 10 parsecs\n", "policy", 3, "expected a size"),
                mistake(MINIMAL, MINIMAL_POLICY + "limits:\n  idle_timeout: 5 minutes\n", "policy", 3, "expected a duration"),
                mistake(MINIMAL, MINIMAL_POLICY + "route: archive\n", "policy", 2,
                        "route names pool 'archive', which mxgate.yml does not define"),
                // DNS lists turned on in a policy with no zones to ask would silently never run.
                mistake(MINIMAL, MINIMAL_POLICY + "dnsbl: { enabled: true }\n", "policy", 2,
                        "dnsbl.enabled is true, but {conf} has no dnsbl zones"),
                mistake(MINIMAL, MINIMAL_POLICY + "dnsbl:\n  threshold: 2.0\n  enabled: true\n", "policy", 4,
                        "has no dnsbl zones: the lists would never be asked"),
                mistake(MINIMAL + "dnsbl:\n  allowlists: [ { zone: wl.test } ]\n", MINIMAL_POLICY
                        + "dnsbl: { enabled: true }\n", "policy", 2, "has no dnsbl zones"),
                // A reserve for a listener that does not exist keeps capacity for nobody.
                mistake(listener + pool + "    reserve: { internel: 30% }\n    servers:\n" + server, MINIMAL_POLICY,
                        "conf", 5, "reserve names listener 'internel', which is not under 'listeners' (known: internet)"),
                mistake(listener + pool + "    reserve:\n      internet: 10%\n      internal: 20%\n    servers:\n" + server,
                        MINIMAL_POLICY, "conf", 7, "reserve names listener 'internal'"),
                // The spool directory, like every path in the file, is relative to the file, and must exist.
                mistake(MINIMAL + "spool:\n  directory: no-such-dir\n", MINIMAL_POLICY, "conf", 8,
                        "spool directory {confdir}/no-such-dir does not exist"),
                mistake(MINIMAL + "spool:\n  directory: mxgate.yml\n", MINIMAL_POLICY, "conf", 8,
                        "spool directory {conf} is not a directory"));
    }

    private static Arguments mistake(String config, String policy, String file, int line, String reason) {
        return Arguments.of(config, policy, file, line, reason);
    }

    @ParameterizedTest
    @MethodSource("singleMistakes")
    void mistakeIsReportedOnceWithFileAndLine(String config, String policy, String file, int line, String reason)
            throws IOException {
        write("conf/mxgate.yml", config);
        write("policies/internet.yml", policy);
        Path where = file.equals("conf") ? conf() : policyFile("internet");
        List<String> errors = errors();
        assertEquals(1, errors.size(), String.join("\n", errors));
        assertTrue(errors.get(0).startsWith(where + ":" + line + ": "), errors.get(0));
        assertTrue(errors.get(0).contains(reason.replace("{conf}", conf().toString())
                .replace("{confdir}", conf().getParent().toString())), errors.get(0));
    }

    // A listener that cannot be read leaves none, which is reported as well.
    @Test
    void unreadableListenerIsReportedWithItsConsequence() throws IOException {
        String pools = MINIMAL.substring(MINIMAL.indexOf("pools:"));
        write("policies/internet.yml", MINIMAL_POLICY);
        write("conf/mxgate.yml", "listeners: internet\n" + pools);
        assertEquals(List.of(conf() + ":1: expected a list for 'listeners'",
                conf() + ":1: at least one listener is needed under 'listeners'"), errors());

        write("conf/mxgate.yml", "listeners:\n  - { name: internet, listen: nowhere }\n" + pools);
        List<String> errors = errors();
        assertEquals(conf() + ":2: expected host:port, got nowhere", errors.get(0));
        assertTrue(errors.contains(conf() + ":1: at least one listener is needed under 'listeners'"), String.join("\n", errors));
    }

    @Test
    void missingPolicyFileIsReportedAtItsListener() throws IOException {
        write("conf/mxgate.yml", MINIMAL);
        assertEquals(List.of(conf() + ":2: policy file " + policyFile("internet") + " does not exist"), errors());
    }

    @Test
    void yamlSyntaxErrorNamesItsLine() throws IOException {
        write("conf/mxgate.yml", "hostname: mx.example.test\nlisteners: [\n  - { name: x\n");
        List<String> errors = errors();
        assertEquals(1, errors.size(), String.join("\n", errors));
        assertTrue(errors.get(0).startsWith(conf() + ":"), errors.get(0));
        assertTrue(errors.get(0).contains(": YAML syntax: "), errors.get(0));
    }

    @Test
    void everyMistakeOfASetIsReportedTogether() throws IOException {
        write("conf/mxgate.yml", """
                hostnme: mx.example.test
                listeners:
                  - { name: internet, listen: 127.0.0.1:2525 }
                pools:
                  mailbox:
                    max_attempts: 99
                    servers:
                      - { address: 127.0.0.1:3025 }
                """);
        write("policies/internet.yml", """
                accept_domains: [example.test]
                relay:
                  networks: [192.0.2.0/24, 10.0.0.0/40]
                limits:
                  max_recipents: 5
                """);
        List<String> errors = errors();
        assertEquals(4, errors.size(), String.join("\n", errors));
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(conf() + ":1: unknown key 'hostnme'")), String.join("\n", errors));
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(conf() + ":6: max_attempts must be between 1 and 20")),
                String.join("\n", errors));
        Path policy = policyFile("internet");
        assertTrue(errors.stream().anyMatch(e -> e.equals(policy + ":3: prefix length out of range in 10.0.0.0/40")),
                String.join("\n", errors));
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(policy + ":5: unknown key 'max_recipents'")), String.join("\n", errors));
    }

    @Test
    void twoPoolsNeedAnExplicitRoute() throws IOException {
        write("conf/mxgate.yml", MINIMAL + "  archive:\n    servers:\n      - { address: 127.0.0.1:3026 }\n");
        write("policies/internet.yml", MINIMAL_POLICY);
        assertEquals(List.of(policyFile("internet") + ":1: policy needs 'route: <pool>' (or '*' under 'routes') when there is more than one pool"),
                errors());
    }

    @Test
    void configWithoutListenersOrPoolsIsRefused() throws IOException {
        write("conf/mxgate.yml", "hostname: mx.example.test\n");
        List<String> errors = errors();
        assertEquals(List.of(conf() + ":1: at least one backend pool is needed under 'pools'",
                conf() + ":1: at least one listener is needed under 'listeners'"), errors);
    }

    private List<String> errors() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("conf/mxgate.yml")));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    private Path conf() {
        return dir.resolve("conf/mxgate.yml").toAbsolutePath().normalize();
    }

    private Path policyFile(String name) {
        return dir.resolve("policies/" + name + ".yml").toAbsolutePath().normalize();
    }

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
