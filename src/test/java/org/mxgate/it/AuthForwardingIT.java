package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxgate.config.PolicyReloader;

/**
 * What a login carries further: with {@code forward_client_ip: xclient} the backend hears it as
 * XCLIENT LOGIN (and a parked session serving the next, anonymous client is told
 * LOGIN=[UNAVAILABLE]); users.yml reloads while the gateway runs, so a user added to it can
 * log in within seconds, without a restart.
 */
class AuthForwardingIT {

    @Test
    void loginGoesToTheBackendByXclient() throws Exception {
        try (XclientBackend backend = new XclientBackend(false);
             TestGateway gateway = TestGateway.startWith(Submission.config(backend.port(), "starttls", "")
                             .replace("    servers:\n", "    forward_client_ip: xclient\n    servers:\n"),
                     Map.of("submission", Submission.POLICY, "users", Submission.users()))) {
            try (SmtpClient c = new SmtpClient(gateway.gateway().port("submission"))) {
                c.hello();
                c.startTls();
                c.send("EHLO client.test");
                assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", Submission.PASSWORD));
                String reply = c.sendMessage("alice@example.test", List.of("bob@foreign.test"),
                        "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(reply.startsWith("250 2.0.0"), reply);
            }
            assertTrue(backend.commands().stream().anyMatch(c -> c.startsWith("XCLIENT ")
                    && c.contains("PROTO=ESMTP") && c.endsWith(" LOGIN=alice@example.test")), backend.commands().toString());
            try (SmtpClient c = new SmtpClient(gateway.gateway().port("submission"))) {
                c.hello();
                c.startTls();
                c.send("EHLO client.test");
                String reply = c.sendMessage("anyone@client.test", List.of("user@example.test"),
                        "Subject: y\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(reply.startsWith("250 2.0.0"), reply);
            }
            List<String> xclients = backend.commands().stream().filter(c -> c.startsWith("XCLIENT ")).toList();
            assertTrue(xclients.get(xclients.size() - 1).endsWith(" LOGIN=[UNAVAILABLE]"), xclients.toString());
        }
    }

    @Test
    void aUserAddedToUsersYmlCanLogInWithoutARestart() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith(Submission.config(backend.port(), "starttls",
                     "auth: { failure_delay: 10ms }\n"), Map.of("submission", Submission.POLICY))) {
            try (SmtpClient c = new SmtpClient(gateway.gateway().port("submission"))) {
                c.hello();
                c.startTls();
                c.send("EHLO client.test");
                assertEquals("535 5.7.8 Authentication credentials invalid", c.authPlain("alice@example.test", Submission.PASSWORD));
            }
            try (CapturedLog reloads = new CapturedLog(PolicyReloader.class, Level.INFO)) {
                Files.writeString(gateway.policyFile("users"), Submission.users());
                // The users are part of the policy: the watcher reloads it and says so. Waiting for that
                // line, not trying logins until one works, keeps the failures below max_failures_per_client.
                await("policy submission reloaded").atMost(Duration.ofSeconds(10))
                        .until(() -> reloads.contains("policy submission reloaded from "));
            }
            try (SmtpClient c = new SmtpClient(gateway.gateway().port("submission"))) {
                c.hello();
                c.startTls();
                c.send("EHLO client.test");
                assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", Submission.PASSWORD));
            }
        }
    }
}
