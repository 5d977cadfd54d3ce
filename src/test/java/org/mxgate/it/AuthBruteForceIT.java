package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Password guessing: each wrong password gets 535 5.7.8 after a delay; past the limit for one
 * client address even the right password gets 454 4.7.0 and the connection is closed, on a
 * new connection too, until the failure window has passed.
 */
class AuthBruteForceIT {

    private RecordingBackend backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = new RecordingBackend();
        gateway = TestGateway.startWith(TlsAuthIT.submissionConfig(backend.port(), "starttls",
                        "auth: { max_failures_per_client: 3, max_failures_per_user: 100, failure_window: 3s, failure_delay: 300ms }\n"),
                Map.of("submission", TlsAuthIT.SUBMISSION_POLICY, "users", TlsAuthIT.users()));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    private SmtpClient loggedOut() throws Exception {
        SmtpClient c = new SmtpClient(gateway.gateway().port("submission"));
        c.hello();
        c.startTls();
        c.send("EHLO client.test");
        return c;
    }

    @Test
    void guessingIsSlowedThenRefusedUntilTheWindowPasses() throws Exception {
        try (SmtpClient c = loggedOut()) {
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                assertEquals("535 5.7.8 Authentication credentials invalid", c.authPlain("alice@example.test", "guess" + i));
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(millis >= 250, "a failure is answered after failure_delay, not at once: " + millis + " ms");
            }
            assertEquals("454 4.7.0 Too many authentication failures, try again later",
                    c.authPlain("alice@example.test", TlsAuthIT.PASSWORD));
            assertTrue(c.isClosedByServer());
        }
        long blockedAt = System.nanoTime();
        // A new connection from the same address is still refused, right password or not.
        try (SmtpClient c = loggedOut()) {
            assertEquals("454 4.7.0 Too many authentication failures, try again later",
                    c.authPlain("alice@example.test", TlsAuthIT.PASSWORD));
        }
        long waited = (System.nanoTime() - blockedAt) / 1_000_000;
        Thread.sleep(Math.max(0, 3_300 - waited));
        try (SmtpClient c = loggedOut()) {
            assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", TlsAuthIT.PASSWORD));
        }
    }
}
