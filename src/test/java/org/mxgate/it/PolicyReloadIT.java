package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mxgate.config.PolicyReloader;

/**
 * Policies edited while the gateway runs: a valid change applies to the next transaction of a
 * session that stays open, within 2 seconds of the write; a broken file is refused whole, its
 * error logged as file:line: reason, and the running policy stays. The tests wait for the
 * reloader's log line that says what it did.
 */
class PolicyReloadIT {

    private CapturedLog log;

    @BeforeEach
    void captureLog() {
        log = new CapturedLog(PolicyReloader.class, Level.INFO);
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    @Test
    void addedDomainTakesEffectInAnOpenSessionAndABrokenFileKeepsTheRunningPolicy() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@new.test>").startsWith("554 5.7.1"));
            assertTrue(client.send("RSET").startsWith("250"));

            Path policy = gateway.policyFile("internet");
            Files.writeString(policy, "accept_domains: [example.test, new.test]\nroute: mailbox\n");
            long written = System.nanoTime();
            // The reloader swaps the policies in, then says so.
            await("policy internet reloaded").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> log.contains("policy internet reloaded from "));
            long tookMillis = (System.nanoTime() - written) / 1_000_000;
            assertTrue(tookMillis <= 2000, "took " + tookMillis + " ms");
            assertTrue(rcptAfterMail(client, "user@new.test").startsWith("250"), "the added domain was not accepted");
            assertTrue(client.send("DATA").startsWith("354"));
            client.write("Subject: after reload\r\n\r\nx\r\n.\r\n");
            assertTrue(client.reply().startsWith("250 2.0.0"));

            Files.writeString(policy, "accept_domains: [example.test, new.test]\nroute: mailbox\nrelay:\n  netwroks: [0.0.0.0/0]\n");
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertTrue(
                    log.contains("internet.yml:4: unknown key 'netwroks'") && log.contains("policies not reloaded"),
                    () -> "errors logged: " + log.lines()));
            assertTrue(rcptAfterMail(client, "user@new.test").startsWith("250"), "the running policy stays");
            assertTrue(client.send("RSET").startsWith("250"));
            assertTrue(rcptAfterMail(client, "user@elsewhere.test").startsWith("554 5.7.1"), "and still relays nothing");
            client.send("QUIT");
        }
    }

    @Test
    void reloadOnRequestAppliesAtOnceOrReportsEveryError() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()))) {
            Path policy = gateway.policyFile("internet");
            Files.writeString(policy, "accept_domains: [example.test]\nroute: nowhere\nlimits: { max_errors: lots }\n");
            List<String> errors = gateway.gateway().reloadPolicies().stream().map(Object::toString).toList();
            assertEquals(2, errors.size(), errors.toString());
            assertTrue(errors.get(0).endsWith("internet.yml:2: route names pool 'nowhere', which mxgate.yml does not define")
                    || errors.get(1).endsWith("internet.yml:2: route names pool 'nowhere', which mxgate.yml does not define"), errors.toString());

            Files.writeString(policy, "accept_domains: [example.test, other.test]\nroute: mailbox\n");
            assertEquals(List.of(), gateway.gateway().reloadPolicies());
            try (SmtpClient client = new SmtpClient(gateway.internet())) {
                client.hello();
                assertTrue(rcptAfterMail(client, "user@other.test").startsWith("250"));
            }
        }
    }

    @Test
    void reloadRefusesWideRelayNetworksAndAPolicyThatFailsTheRelaySelfTest() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()))) {
            Path policy = gateway.policyFile("internal");
            Files.writeString(policy, "accept_domains: [example.test]\nrelay: { networks: [0.0.0.0/0] }\nroute: mailbox\n");
            List<String> errors = gateway.gateway().reloadPolicies().stream().map(Object::toString).toList();
            assertTrue(errors.size() == 1 && errors.get(0).contains("internal.yml:2: relay network 0.0.0.0/0 is wider"),
                    errors.toString());

            Files.writeString(policy, "accept_domains: [example.test]\nrelay: { networks: [198.51.100.0/24] }\nroute: mailbox\n");
            errors = gateway.gateway().reloadPolicies().stream().map(Object::toString).toList();
            assertTrue(errors.size() == 1 && errors.get(0).contains("relay self-test: an outside client 198.51.100.1"),
                    errors.toString());

            try (SmtpClient client = new SmtpClient(gateway.internal())) {
                client.hello();
                assertTrue(rcptAfterMail(client, "user@elsewhere.test").startsWith("250"),
                        "the running internal policy (127.0.0.0/8 relays) stays");
            }
        }
    }

    /** MAIL then RCPT; the RCPT reply. Leaves the transaction open. */
    private static String rcptAfterMail(SmtpClient client, String recipient) {
        try {
            String mail = client.send("MAIL FROM:<a@client.test>");
            if (!mail.startsWith("250")) {
                client.send("RSET");
                return mail;
            }
            String rcpt = client.send("RCPT TO:<" + recipient + ">");
            if (!rcpt.startsWith("250")) {
                client.send("RSET");
            }
            return rcpt;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
