package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxgate.net.NetworkSet;

/**
 * The connection, rate and junk command keys of a policy's limits: block and the process-wide
 * max_connections of conf/mxgate.yml: read with their defaults, and refused with file:line.
 */
class ClientLimitsConfigTest {

    @TempDir
    Path dir;

    @Test
    void absentKeysTakeTheirDefaults() throws Exception {
        GatewayConfig config = load("", "accept_domains: [example.test]\n");
        assertEquals(ClientLimitsConfig.DEFAULTS, config.policies().get("internet").clientLimits());
        assertEquals(new ClientLimitsConfig(20, 5000, 0, 0, 0, 0, 0, Duration.ofMinutes(1), 32, 64, NetworkSet.EMPTY, 100),
                ClientLimitsConfig.DEFAULTS);
        assertEquals(10_000, config.maxConnections());
    }

    @Test
    void everyKeyIsRead() throws Exception {
        GatewayConfig config = load("max_connections: 300\n", """
                accept_domains: [example.test]
                limits:
                  max_recipients: 7
                  max_connections_per_ip: 10
                  max_connections: 200
                  max_connection_rate_per_ip: 60
                  max_message_rate_per_ip: 100
                  max_recipient_rate_per_ip: 500
                  max_message_rate_per_user: 30
                  max_recipient_rate_per_user: 300
                  rate_window: 5m
                  ipv4_prefix: 24
                  ipv6_prefix: 48
                  exempt: [127.0.0.0/8, "::1"]
                  max_junk_commands: 0
                """);
        PolicyConfig policy = config.policies().get("internet");
        assertEquals(new ClientLimitsConfig(10, 200, 60, 100, 500, 30, 300, Duration.ofMinutes(5), 24, 48,
                NetworkSet.parse(List.of("127.0.0.0/8", "::1")), 0), policy.clientLimits());
        assertEquals(7, policy.limits().maxRecipients(), "the rest of the block is read as before");
        assertEquals(300, config.maxConnections());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "limits:\\n  max_connections_per_ip: -1        | 2: max_connections_per_ip must be between 0 and 1000000",
        "limits:\\n  max_junk_commands: many           | 2: max_junk_commands must be a whole number, got 'many'",
        "limits:\\n  ipv6_prefix: 8                    | 2: ipv6_prefix must be between 16 and 128",
        "limits:\\n  ipv4_prefix: 33                   | 2: ipv4_prefix must be between 8 and 32",
        "limits:\\n  rate_window: 500ms                | 2: rate_window must be between 1s and 1d, got 500ms",
        "limits:\\n  exempt: [10.0.0.0/99]             | 2: prefix length out of range",
        "limits:\\n  max_conections_per_ip: 5          | 2: unknown key 'max_conections_per_ip'",
    })
    void mistakeIsReportedWithItsLine(String policy, String expected) throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("", "accept_domains: [example.test]\n" + policy.replace("\\n", "\n") + "\n"));
        String file = dir.resolve("policies/internet.yml").toAbsolutePath().normalize() + ":";
        List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
        String atLine = expected.replaceFirst("^(\\d+):", (Integer.parseInt(expected.split(":")[0]) + 1) + ":");
        assertTrue(errors.stream().anyMatch(err -> err.startsWith(file + atLine)), errors.toString());
    }

    @Test
    void aNegativeProcessCapIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("max_connections: -5\n",
                "accept_domains: [example.test]\n"));
        assertTrue(e.getMessage().contains("max_connections must be between 0 and 10000000"), e.getMessage());
    }

    private GatewayConfig load(String topKeys, String policy) throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("conf/mxgate.yml"), topKeys + """
                listeners: [ { name: internet, listen: 127.0.0.1:2525 } ]
                pools: { mailbox: { servers: [ { address: 127.0.0.1:25 } ] } }
                """);
        Files.writeString(dir.resolve("policies/internet.yml"), policy);
        return ConfigLoader.load(dir.resolve("conf/mxgate.yml"));
    }
}
