package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxgate.mail.InstanceId;

/**
 * {@code instance_id}: as the admin wrote it (in lower case), refused at its line when it is not
 * 1 to 4 letters or digits, and derived when absent: the same at every load of one file, another
 * for another instance's file; a change is a restart's, and a reload says so.
 */
class InstanceIdConfigTest {

    private static final String CONF = ConfigFiles.MINIMAL;

    @TempDir
    Path dir;

    @Test
    void anExplicitIdIsReadInLowerCase() throws Exception {
        assertEquals(new InstanceId("mx1"), load("a", "instance_id: MX1\n" + CONF).instanceId());
    }

    @Test
    void aMalformedIdIsRefusedAtItsLine() throws Exception {
        write("a", "hostname: mx.example.test\ninstance_id: mx-east-1\n" + CONF);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf("a")));
        assertEquals(List.of(conf("a") + ":2: instance_id must be 1 to 4 letters or digits (a-z, 0-9), got 'mx-east-1'"),
                e.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void withoutOneTheIdIsDerivedTheSameAtEveryLoadAndDiffersForAnotherInstance() throws Exception {
        InstanceId first = load("a", CONF).instanceId();
        assertTrue(first.value().matches("[0-9a-z]{4}"), first.value());
        assertEquals(first, ConfigLoader.load(conf("a")).instanceId());
        // A second instance on this host: the same listeners, its own config file.
        assertNotEquals(first, load("b", CONF).instanceId());
        // ... or the same file with other ports.
        assertNotEquals(first, load("a", CONF.replace("2525", "2526")).instanceId());
    }

    @Test
    void aReloadThatChangesTheIdSaysItNeedsARestart() throws Exception {
        try (PolicyReloader reloader = new PolicyReloader(load("a", "instance_id: mx1\n" + CONF), policy -> List.of())) {
            write("a", "instance_id: mx2\n" + CONF);
            ReloadResult result = reloader.reload();
            assertEquals(List.of(), result.errors());
            assertTrue(result.notes().contains("instance_id changed: needs a restart"), result.notes().toString());
        }
    }

    private GatewayConfig load(String instance, String conf) throws Exception {
        write(instance, conf);
        return ConfigLoader.load(conf(instance));
    }

    private Path conf(String instance) {
        return dir.resolve(instance + "/conf/mxgate.yml").toAbsolutePath().normalize();
    }

    private void write(String instance, String conf) throws IOException {
        Files.createDirectories(dir.resolve(instance + "/conf"));
        Files.createDirectories(dir.resolve(instance + "/policies"));
        Files.writeString(conf(instance), conf);
        Files.writeString(dir.resolve(instance + "/policies/internet.yml"), "accept_domains: [example.test]\n");
    }
}
