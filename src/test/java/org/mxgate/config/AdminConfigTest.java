package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxgate.net.HostPort;

/**
 * The {@code admin:} block: off when absent; on loopback it needs no token; anywhere else it
 * needs a token file, and a token file that gives no usable token is refused at its line.
 */
class AdminConfigTest {

    @TempDir
    Path dir;

    private GatewayConfig load(String admin) throws Exception {
        return ConfigLoader.load(ConfigFiles.writeMinimal(dir, admin));
    }

    private List<String> refusals(String admin) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(admin));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    private String conf() {
        return dir.resolve("conf/mxgate.yml").toAbsolutePath().normalize().toString();
    }

    @Test
    void offWhenAbsent() throws Exception {
        assertNull(load("").admin());
    }

    @Test
    void loopbackNeedsNoToken() throws Exception {
        AdminConfig admin = load("admin: { listen: \"127.0.0.1:8025\" }\n").admin();
        assertEquals(new AdminConfig(new HostPort("127.0.0.1", 8025), null), admin);
        assertTrue(admin.isLoopback());
    }

    @Test
    void tokenFileIsRelativeToTheConfigFile() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/admin.token"), "0123456789abcdef0123456789abcdef\n");
        AdminConfig admin = load("admin:\n  listen: 0.0.0.0:8025\n  token_file: admin.token\n").admin();
        assertEquals(dir.resolve("conf/admin.token").toAbsolutePath().normalize(), admin.tokenFile());
        assertEquals("0123456789abcdef0123456789abcdef", TokenFile.read(admin.tokenFile()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0.0.0.0:8025", "'[::]:8025'", "192.0.2.10:8025", "admin.example.test:8025"})
    void nonLoopbackWithoutTokenIsRefusedAtTheListenLine(String listen) {
        assertEquals(List.of(conf() + ":8: admin.listen " + HostPort.parse(listen) + " is not a loopback address: set"
                + " admin.token_file too, or listen on 127.0.0.1 (the API drains and halts backends)"),
                refusals("admin:\n  listen: \"" + listen + "\"\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"127.0.0.1, true", "127.8.9.10, true", "::1, true", "localhost, true", "LOCALHOST, true",
        "::ffff:127.0.0.1, true", "0.0.0.0, false", "::, false", "10.0.0.1, false", "localhost.example.test, false",
        "mx.example.test, false"})
    void loopbackIsJudgedWithoutDns(String host, boolean loopback) {
        assertEquals(loopback, AdminConfig.isLoopbackHost(host));
    }

    @Test
    void missingEmptyShortOrOddTokenFilesAreRefusedAtTheirLine() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        String token = dir.resolve("conf/admin.token").toAbsolutePath().normalize().toString();
        String block = "admin:\n  listen: 127.0.0.1:8025\n  token_file: admin.token\n";
        assertEquals(List.of(conf() + ":9: admin.token_file " + token + " does not exist"), refusals(block));
        Files.writeString(dir.resolve("conf/admin.token"), " \n");
        assertEquals(List.of(conf() + ":9: admin.token_file " + token
                + " is empty; put a long random token in it (openssl rand -hex 32)"), refusals(block));
        Files.writeString(dir.resolve("conf/admin.token"), "short\n");
        assertEquals(List.of(conf() + ":9: admin.token_file " + token
                + " holds a token of 5 characters; use at least 16 (openssl rand -hex 32)"), refusals(block));
        Files.writeString(dir.resolve("conf/admin.token"), "two words in a long enough token\n");
        assertTrue(refusals(block).get(0).contains("holds characters a bearer token may not carry"));
        Files.writeString(dir.resolve("conf/admin.token"), "x".repeat(5000));
        assertTrue(refusals(block).get(0).contains("larger than 4096 bytes"));
    }

    @Test
    void listenIsRequiredAndUnknownKeysRefused() {
        assertEquals(List.of(conf() + ":8: unknown key 'port' (known here: listen, token_file)",
                conf() + ":8: missing key 'listen' (the admin block turns the admin listener on; remove it to keep it off)"),
                refusals("admin:\n  port: 8025\n"));
    }
}
