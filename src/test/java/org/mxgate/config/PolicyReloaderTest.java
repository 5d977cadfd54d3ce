package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PolicyReloader.reload, called directly: what the running gateway cannot do without a restart
 * (here: DNS lists it started without) is refused with the policy's file:line, and the running
 * policy stays.
 */
class PolicyReloaderTest {

    private static final String CONF = ConfigFiles.MINIMAL;
    private static final String ZONES = "dnsbl:\n  zones: [ { zone: bl.test } ]\n";
    private static final String POLICY = ConfigFiles.MINIMAL_POLICY;

    @TempDir
    Path dir;

    @Test
    void dnsListsTurnedOnForAGatewayThatStartedWithoutZonesAreRefused() throws Exception {
        write("conf/mxgate.yml", CONF);
        write("policies/internet.yml", POLICY);
        try (PolicyReloader reloader = new PolicyReloader(ConfigLoader.load(conf()), policy -> List.of())) {
            // Zones added to the file, and a policy turning them on: the checker was built at start, without them.
            write("conf/mxgate.yml", CONF + ZONES);
            write("policies/internet.yml", POLICY + "dnsbl:\n  enabled: true\n");
            List<String> errors = reloader.reload().errors().stream().map(ConfigError::toString).toList();
            assertEquals(1, errors.size(), String.join("\n", errors));
            assertTrue(errors.get(0).startsWith(policy() + ":3: dnsbl.enabled is true, but the running gateway started"
                    + " without dnsbl zones"), errors.get(0));
            assertTrue(errors.get(0).contains("needs a restart"), errors.get(0));
            assertFalse(reloader.current("internet").dnsbl().enabled(), "the running policy stays");
        }
    }

    @Test
    void dnsListsTurnedOnWhereTheGatewayStartedWithZonesReload() throws Exception {
        write("conf/mxgate.yml", CONF + ZONES);
        write("policies/internet.yml", POLICY);
        try (PolicyReloader reloader = new PolicyReloader(ConfigLoader.load(conf()), policy -> List.of())) {
            write("policies/internet.yml", POLICY + "dnsbl: { enabled: true }\n");
            assertEquals(List.of(), reloader.reload().errors());
            assertTrue(reloader.current("internet").dnsbl().enabled());

            // Zones removed from the file while a policy uses them: refused like at start.
            write("conf/mxgate.yml", CONF);
            List<String> errors = reloader.reload().errors().stream().map(ConfigError::toString).toList();
            assertEquals(List.of(policy() + ":2: dnsbl.enabled is true, but " + conf() + " has no dnsbl zones: the lists"
                    + " would never be asked; add zones under 'dnsbl:' there, or set enabled: false"), errors);
        }
    }

    private Path conf() {
        return dir.resolve("conf/mxgate.yml").toAbsolutePath().normalize();
    }

    private Path policy() {
        return dir.resolve("policies/internet.yml").toAbsolutePath().normalize();
    }

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
