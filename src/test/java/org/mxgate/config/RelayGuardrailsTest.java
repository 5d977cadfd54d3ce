package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxgate.policy.RelaySelfTest;

/**
 * The guardrails against the classic NAT open relay, at load: relay networks wider than /8 or
 * /16 are refused with file:line unless explicitly allowed, and the relay self-test refuses a
 * policy that would relay for an outside client.
 */
class RelayGuardrailsTest {

    @TempDir
    Path dir;

    private Path write(String policy) throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("conf/mxgate.yml"), """
                listeners:
                  - { name: internet, listen: 127.0.0.1:2525 }
                pools:
                  mailbox:
                    servers: [ { address: 127.0.0.1:25 } ]
                """);
        Files.writeString(dir.resolve("policies/internet.yml"), policy);
        return dir.resolve("conf/mxgate.yml");
    }

    private List<String> errors(String policy) throws Exception {
        Path config = write(policy);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(config, RelaySelfTest::run));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "::/0", "0.0.0.0/1", "128.0.0.0/7", "2000::/3"})
    void wideRelayNetworksAreRefusedWithFileAndLine(String network) throws Exception {
        List<String> errors = errors("accept_domains: [example.test]\nrelay:\n  networks:\n    - 10.0.0.0/8\n    - \"" + network + "\"\n");
        Path file = dir.resolve("policies/internet.yml").toAbsolutePath().normalize();
        assertTrue(errors.get(0).startsWith(file + ":5: relay network " + network + " is wider than"), errors.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "192.168.0.0/16", "127.0.0.1", "2001:db8:1::/48", "fd00::/8"})
    void ordinaryPrivateNetworksLoad(String network) throws Exception {
        Path config = write("accept_domains: [example.test]\nrelay: { networks: [\"" + network + "\"] }\n");
        assertEquals(1, ConfigLoader.load(config, RelaySelfTest::run).policies().size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "relay: { networks: [192.0.0.0/8] }           | 192.0.2.1",
        "relay: { networks: [203.0.113.0/24] }        | 203.0.113.1",
        "relay: { networks: [\"2001:db8::/32\"] }     | 2001:db8::1",
        "accept_domains: [\"*.invalid\"]              | 192.0.2.1",
    })
    void selfTestRefusesAPolicyThatRelaysForOutsideClients(String policy, String outsider) throws Exception {
        List<String> errors = errors(policy + "\n");
        assertTrue(errors.stream().anyMatch(e -> e.contains("relay self-test: an outside client " + outsider + " could relay")),
                errors.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"10.0.0.5 | 10.0.0.0/8", "10.0.0.0/24 | 10.0.0.128/25", "\"fd00::5\" | \"fd00::/64\""})
    void aTrustedProxyPeerInsideTheRelayNetworksIsRefused(String trusted, String relay) throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("conf/mxgate.yml"), """
                listeners:
                  - name: internet
                    listen: 127.0.0.1:2525
                    proxy_protocol: { trusted: [%s] }
                pools:
                  mailbox:
                    servers: [ { address: 127.0.0.1:25 } ]
                """.formatted(trusted));
        Files.writeString(dir.resolve("policies/internet.yml"), "relay: { networks: [" + relay + "] }\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(dir.resolve("conf/mxgate.yml"), RelaySelfTest::run));
        String conf = dir.resolve("conf/mxgate.yml").toAbsolutePath().normalize().toString();
        assertTrue(e.errors().stream().map(ConfigError::toString).anyMatch(err -> err.startsWith(conf + ":4: trusted PROXY peer")
                && err.contains("every client behind that balancer could relay")), e.errors().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "192.0.2.0/24"})
    void theExplicitOverrideLoads(String network) throws Exception {
        Path config = write("allow_wide_relay_networks: true\nrelay: { networks: [\"" + network + "\"] }\n");
        assertTrue(ConfigLoader.load(config, RelaySelfTest::run).policies().get("internet").allowWideRelayNetworks());
    }
}
