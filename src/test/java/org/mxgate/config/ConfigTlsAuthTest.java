package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS and AUTH keys: listener and pool TLS modes, certificate paths relative to the config
 * file, brute-force limits, the policy's auth block, and users.yml, which takes bcrypt hashes only.
 */
class ConfigTlsAuthTest {

    private static final String HASH = "$2y$10$" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0";

    @TempDir
    Path dir;

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private GatewayConfig load() throws ConfigException {
        return ConfigLoader.load(dir.resolve("conf/mxgate.yml"));
    }

    private void submission(String topKeys, String policy) throws IOException {
        write("conf/mxgate.yml", topKeys + """
                listeners:
                  - { name: submission, listen: 127.0.0.1:2587, tls: starttls }
                  - { name: smtps, listen: 127.0.0.1:2465, tls: implicit, policy: submission }
                pools:
                  mailbox:
                    tls: required
                    tls_insecure: true
                    servers:
                      - { address: 127.0.0.1:3025 }
                """);
        write("policies/submission.yml", policy);
    }

    @Test
    void tlsAndAuthKeysAreRead() throws Exception {
        submission("auth: { max_failures_per_client: 7, max_failures_per_user: 30, failure_window: 10m,"
                        + " failure_delay: 2s, hash_threads: 4 }\ntls: { certificate: ../tls/chain.pem, key: /etc/mxgate/key.pem,"
                        + " library: JDK }\n",
                "accept_domains: [example.test]\nrelay: { authenticated: true }\nrequire_tls: true\n"
                        + "auth: { enabled: true, sender_login: true }\n");
        write("policies/users.yml", "Alice@Example.Test: { password: \"" + HASH + "\", senders: [alice@example.test, \"@alice.test\", \"<>\"] }\n"
                + "bob: { password: \"" + HASH + "\" }\n");
        GatewayConfig config = load();
        assertEquals(ListenerConfig.Tls.STARTTLS, config.listeners().get(0).tls());
        assertEquals(ListenerConfig.Tls.IMPLICIT, config.listeners().get(1).tls());
        assertTrue(config.usesServerTls());
        assertEquals(new BackendTlsConfig(BackendTlsConfig.Mode.REQUIRED, null, true), config.pools().get("mailbox").tls());
        assertEquals(new TlsConfig(dir.resolve("tls/chain.pem").toAbsolutePath().normalize(), Path.of("/etc/mxgate/key.pem"),
                TlsConfig.Library.JDK), config.tls());
        assertEquals(new AuthLimitsConfig(7, 30, Duration.ofMinutes(10), Duration.ofSeconds(2), 4), config.authLimits());
        PolicyConfig policy = config.policies().get("submission");
        assertTrue(policy.requireTls());
        assertTrue(policy.auth().enabled() && policy.auth().senderLogin() && policy.auth().relayAuthenticated());
        UsersConfig.User alice = policy.auth().users().find("alice@EXAMPLE.test").orElseThrow();
        assertEquals("Alice@Example.Test", alice.login());
        assertEquals(List.of("alice@example.test", "@alice.test", "<>"), alice.senders());
        assertEquals(List.of(), policy.auth().users().find("BOB").orElseThrow().senders());
    }

    @Test
    void defaultsNeedNoTlsAndKnowNoUsers() throws Exception {
        write("conf/mxgate.yml", "listeners:\n  - { name: internet, listen: 127.0.0.1:2525 }\n"
                + "pools:\n  mailbox:\n    servers:\n      - { address: 127.0.0.1:3025 }\n");
        write("policies/internet.yml", "accept_domains: [example.test]\n");
        GatewayConfig config = load();
        assertFalse(config.usesServerTls());
        assertEquals(ListenerConfig.Tls.NONE, config.listeners().get(0).tls());
        assertEquals(BackendTlsConfig.NONE, config.pools().get("mailbox").tls());
        assertEquals(new TlsConfig(dir.resolve("certs/mxgate.crt").toAbsolutePath().normalize(),
                dir.resolve("certs/mxgate.key").toAbsolutePath().normalize()), config.tls());
        assertEquals(TlsConfig.Library.AUTO, config.tls().library());
        assertNull(config.tls().ecdsa(), "one pair unless the ECDSA keys are given");
        assertEquals(AuthLimitsConfig.DEFAULTS, config.authLimits());
        PolicyConfig policy = config.policies().get("internet");
        assertFalse(policy.auth().enabled() || policy.requireTls());
        // The users file is watched even while it does not exist, so creating it is a reload.
        assertEquals(dir.resolve("policies/users.yml").toAbsolutePath().normalize(), policy.auth().users().file());
        assertTrue(policy.auth().users().users().isEmpty());
    }

    @Test
    void plaintextAuthOnAListenerWithoutTlsOnlyWhenLoopbackIsSaidExplicitly() throws Exception {
        write("conf/mxgate.yml", "listeners:\n  - { name: internal, listen: 127.0.0.1:10025 }\n"
                + "pools:\n  mailbox:\n    servers:\n      - { address: 127.0.0.1:3025 }\n");
        write("policies/internal.yml", "accept_domains: [example.test]\nauth: { enabled: true, allow_plaintext_loopback: true }\n");
        assertTrue(load().policies().get("internal").auth().plaintextOnLoopback());
    }

    private List<String> usersErrors(String users) throws IOException {
        submission("", "accept_domains: [example.test]\nauth: { enabled: true }\n");
        write("policies/users.yml", users);
        ConfigException e = assertThrows(ConfigException.class, this::load);
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void aPlaintextPasswordIsRefusedWithItsLine() throws Exception {
        List<String> errors = usersErrors("alice: { password: \"" + HASH + "\" }\nbob: { password: hunter2 }\n");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("users.yml:2: password must be a bcrypt hash"), errors.get(0));
        assertFalse(errors.get(0).contains("hunter2"), "the error must not repeat the password: " + errors.get(0));
    }

    @Test
    void usersFileMistakes() throws Exception {
        List<String> errors = usersErrors("alice: { password: \"" + HASH + "\", senders: [alice] }\n"
                + "ALICE: { password: \"" + HASH + "\" }\n"
                + "carol: { pasword: \"" + HASH + "\" }\n"
                + "dave: { password: \"$2y$03$" + HASH.substring(7) + "\" }\n");
        assertEquals(5, errors.size(), String.join("\n", errors));
        assertTrue(errors.get(0).contains("users.yml:1: a sender is an address, @domain or <>, got 'alice'"), errors.get(0));
        assertTrue(errors.get(1).contains("users.yml:2: login 'ALICE' appears twice"), errors.get(1));
        assertTrue(errors.get(2).contains("users.yml:3: unknown key 'pasword'"), errors.get(2));
        assertTrue(errors.get(3).contains("users.yml:3: missing key 'password'"), errors.get(3));
        assertTrue(errors.get(4).contains("users.yml:4: password must be a bcrypt hash"), errors.get(4));
    }

    @Test
    void anUnknownTlsLibraryIsRefusedWithTheChoices() throws Exception {
        submission("tls: { library: gnutls }\n", "accept_domains: [example.test]\n");
        ConfigException e = assertThrows(ConfigException.class, this::load);
        assertEquals(1, e.errors().size(), e.errors().toString());
        assertTrue(e.errors().get(0).toString().contains("mxgate.yml:1: library must be auto, openssl or jdk, got 'gnutls'"),
                e.errors().get(0).toString());
    }

    @Test
    void anEcdsaPairIsReadRelativeToTheConfigFileWithItsLine() throws Exception {
        submission("hostname: mx.example.test\ntls:\n  library: jdk\n  ecdsa_certificate: ../certs/ec.crt\n"
                + "  ecdsa_key: /etc/mxgate/ec.key\n", "accept_domains: [example.test]\n");
        TlsConfig tls = load().tls();
        Path conf = dir.resolve("conf/mxgate.yml").toAbsolutePath().normalize();
        assertEquals(new TlsConfig.EcdsaPair(dir.resolve("certs/ec.crt").toAbsolutePath().normalize(),
                Path.of("/etc/mxgate/ec.key"), conf, 4), tls.ecdsa());
        assertEquals(conf + ":4", tls.ecdsa().where());
        assertEquals(dir.resolve("certs/mxgate.crt").toAbsolutePath().normalize(), tls.certificate());
    }

    @Test
    void oneEcdsaKeyWithoutTheOtherIsRefusedWithItsLine() throws Exception {
        submission("tls:\n  ecdsa_certificate: ../certs/ec.crt\n", "accept_domains: [example.test]\n");
        ConfigException e = assertThrows(ConfigException.class, this::load);
        assertEquals(1, e.errors().size(), e.errors().toString());
        assertTrue(e.errors().get(0).toString().contains("mxgate.yml:2: ecdsa_certificate needs ecdsa_key beside it:"
                + " give both files of the ECDSA pair, or neither"), e.errors().get(0).toString());

        submission("tls: { library: jdk,\n  ecdsa_key: ../certs/ec.key }\n", "accept_domains: [example.test]\n");
        e = assertThrows(ConfigException.class, this::load);
        assertEquals(1, e.errors().size(), e.errors().toString());
        assertTrue(e.errors().get(0).toString().contains("mxgate.yml:2: ecdsa_key needs ecdsa_certificate beside it"),
                e.errors().get(0).toString());
    }
}
