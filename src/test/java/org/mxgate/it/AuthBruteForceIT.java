package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Password guessing: each wrong password gets 535 5.7.8 after a delay; past the limit for one
 * client address even the right password gets 454 4.7.0 and the connection is closed, on a
 * new connection too, until the failure window has passed. The window is measured on a clock
 * the test moves on, so passing it takes no waiting.
 */
class AuthBruteForceIT {

    private final AtomicLong clockNanos = new AtomicLong();
    private Submission submission;

    @BeforeEach
    void start() throws Exception {
        submission = Submission.start("starttls",
                "auth: { max_failures_per_client: 3, max_failures_per_user: 100, failure_window: 3s, failure_delay: 300ms }\n",
                clockNanos::get);
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
        // A new connection from the same address is still refused, right password or not, until the
        // window (3 s from the last failure) has passed: still at 2.999 s, no longer at 3.001 s.
        clockNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(2_999));
        try (SmtpClient c = submission.encryptedClient()) {
            assertEquals("454 4.7.0 Too many authentication failures, try again later",
                    c.authPlain("alice@example.test", Submission.PASSWORD));
        }
        clockNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
        try (SmtpClient c = submission.encryptedClient()) {
            assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", Submission.PASSWORD));
        }
    }
}
