package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Password guessing: each wrong password gets 535 5.7.8 after a delay; past the limit for one
 * client address even the right password gets 454 4.7.0 and the connection is closed, on a
 * new connection too, until the failure window has passed.
 */
class AuthBruteForceIT {

    private Submission submission;

    @BeforeEach
    void start() throws Exception {
        submission = Submission.start("starttls",
                "auth: { max_failures_per_client: 3, max_failures_per_user: 100, failure_window: 3s, failure_delay: 300ms }\n");
    }

    @AfterEach
    void stop() throws Exception {
        submission.close();
    }

    @Test
    void guessingIsSlowedThenRefusedUntilTheWindowPasses() throws Exception {
        try (SmtpClient c = submission.encryptedClient()) {
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                assertEquals("535 5.7.8 Authentication credentials invalid", c.authPlain("alice@example.test", "guess" + i));
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(millis >= 250, "a failure is answered after failure_delay, not at once: " + millis + " ms");
            }
            assertEquals("454 4.7.0 Too many authentication failures, try again later",
                    c.authPlain("alice@example.test", Submission.PASSWORD));
            assertTrue(c.isClosedByServer());
        }
        long blockedAt = System.nanoTime();
        // A new connection from the same address is still refused, right password or not.
        try (SmtpClient c = submission.encryptedClient()) {
            assertEquals("454 4.7.0 Too many authentication failures, try again later",
                    c.authPlain("alice@example.test", Submission.PASSWORD));
        }
        long waited = (System.nanoTime() - blockedAt) / 1_000_000;
        Thread.sleep(Math.max(0, 3_300 - waited));
        try (SmtpClient c = submission.encryptedClient()) {
            assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", Submission.PASSWORD));
        }
    }
}
