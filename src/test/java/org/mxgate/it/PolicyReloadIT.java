package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mxgate.config.PolicyReloader;
import org.mxgate.log.ThreadSafeListAppender;
import org.slf4j.LoggerFactory;

/**
 * Policies edited while the gateway runs: a valid change applies to the next transaction of a
 * session that stays open, within 2 seconds of the write; a broken file is refused whole, its
 * error logged as file:line: reason, and the running policy stays.
 */
class PolicyReloadIT {

    private final ListAppender<ILoggingEvent> log = new ThreadSafeListAppender();
    private final Logger reloaderLog = (Logger) LoggerFactory.getLogger(PolicyReloader.class);

    @BeforeEach
    void captureLog() {
        log.start();
        reloaderLog.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        reloaderLog.detachAppender(log);
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
            // Asked every 300 ms: each refusal counts towards the session's max_errors of 10.
            boolean applied = false;
            for (int i = 0; i < 10 && !applied; i++) {
                Thread.sleep(300);
                applied = rcptAfterMail(client, "user@new.test").startsWith("250");
            }
            long tookMillis = (System.nanoTime() - written) / 1_000_000;
            assertTrue(applied, "the added domain was not accepted");
            assertTrue(tookMillis <= 2000, "took " + tookMillis + " ms");
            assertTrue(client.send("DATA").startsWith("354"));
            client.write("Subject: after reload\r\n\r\nx\r\n.\r\n");
            assertTrue(client.reply().startsWith("250 2.0.0"));

            Files.writeString(policy, "accept_domains: [example.test, new.test]\nroute: mailbox\nrelay:\n  netwroks: [0.0.0.0/0]\n");
            boolean refused = InteropTools.await(Duration.ofSeconds(3), () -> log.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("internet.yml:4: unknown key 'netwroks'")));
            assertTrue(refused, "errors logged: " + log.list);
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
