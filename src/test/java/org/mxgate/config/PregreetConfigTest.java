package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener's pregreet keys: off by default and remembered for an hour once on; a delay above a
 * minute, a delay on an implicit TLS listener and a teaser without a delay are refused at their line.
 */
class PregreetConfigTest {

    @TempDir
    Path dir;

    @Test
    void offByDefault() throws Exception {
        assertEquals(new PregreetConfig(Duration.ZERO, false, Duration.ofHours(1)), load("").pregreet());
        assertEquals(PregreetConfig.NONE, load("").pregreet());
    }

    @Test
    void keysAreRead() throws Exception {
        PregreetConfig pregreet = load("    greet_delay: 3s\n    greet_teaser: true\n    pregreet_remember: 10m\n").pregreet();
        assertEquals(new PregreetConfig(Duration.ofSeconds(3), true, Duration.ofMinutes(10)), pregreet);
        assertEquals(true, pregreet.isEnabled());
    }

    @Test
    void delayAboveAMinuteIsRefused() throws Exception {
        assertEquals(List.of(conf() + ":4: greet_delay must be at most 1m; clients give up after 5m and every"
                + " connection waits this long; postscreen waits 6s"), errors("    greet_delay: 2m\n"));
    }

    @Test
    void delayOnImplicitTlsIsRefused() throws Exception {
        assertEquals(List.of(conf() + ":5: greet_delay cannot apply to a listener with tls: implicit, where the"
                + " client speaks first (its TLS handshake); use it on the port 25 listener"),
                errors("    tls: implicit\n    greet_delay: 3s\n"));
    }

    @Test
    void teaserWithoutDelayIsRefused() throws Exception {
        assertEquals(List.of(conf() + ":4: greet_teaser needs greet_delay: the last 220 line follows the delay"),
                errors("    greet_teaser: true\n"));
    }

    private ListenerConfig load(String listenerKeys) throws Exception {
        write(listenerKeys);
        return ConfigLoader.load(dir.resolve("conf/mxgate.yml")).listeners().get(0);
    }

    private List<String> errors(String listenerKeys) throws IOException {
        write(listenerKeys);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("conf/mxgate.yml")));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    private void write(String listenerKeys) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("conf/mxgate.yml"), """
                listeners:
                  - name: internet
                    listen: 127.0.0.1:2525
                """ + listenerKeys + """
                pools:
                  mailbox:
                    servers:
                      - { address: 127.0.0.1:3025 }
                """);
        Files.writeString(dir.resolve("policies/internet.yml"), "accept_domains: [example.test]\n");
    }

    private Path conf() {
        return dir.resolve("conf/mxgate.yml").toAbsolutePath().normalize();
    }
}
