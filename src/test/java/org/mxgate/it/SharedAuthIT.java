package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * AUTH failures counted across instances that share a Redis: a guesser gets its tries once, not
 * once per instance (issue 17, acceptance 2); while Redis is away, shared_state.auth_when_away
 * decides between this instance's own counts (open) and 454 4.7.0 for everyone (closed).
 */
class SharedAuthIT {

    private static final String AUTH = "auth: { max_failures_per_client: 5, failure_delay: 50ms }\n";

    @Test
    void fiveWrongPasswordsOnOneInstanceLockTheClientOutOnTheOther() throws Exception {
        try (RedisServer redis = RedisServer.start();
             Submission a = Submission.start("starttls", AUTH + SharedGateways.sharedState(redis, ""));
             Submission b = Submission.start("starttls", AUTH + SharedGateways.sharedState(redis, ""))) {
            awaitConnected(a, b);
            try (SmtpClient c = a.encryptedClient()) {
                for (int i = 0; i < 5; i++) {
                    assertEquals("535 5.7.8 Authentication credentials invalid", c.authPlain("alice@example.test",
                            "guess" + i));
                }
            }
            try (SmtpClient c = b.encryptedClient()) {
                assertEquals("454 4.7.0 Too many authentication failures, try again later",
                        c.authPlain("alice@example.test", Submission.PASSWORD));
                assertTrue(c.isClosedByServer());
            }
        }
    }

    @Test
    void whileRedisIsAwayOpenCountsHereAndClosedRefusesEveryone() throws Exception {
        try (RedisServer redis = RedisServer.start();
             Submission open = Submission.start("starttls", AUTH + SharedGateways.sharedState(redis, "auth_when_away: open"));
             Submission closed = Submission.start("starttls",
                     AUTH + SharedGateways.sharedState(redis, "auth_when_away: closed"))) {
            awaitConnected(open, closed);
            redis.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> !SharedGateways.isConnected(open.gateway())
                    && !SharedGateways.isConnected(closed.gateway()));
            try (SmtpClient c = open.encryptedClient()) {
                assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", Submission.PASSWORD));
            }
            try (SmtpClient c = closed.encryptedClient()) {
                assertEquals("454 4.7.0 Temporary authentication failure, try again later",
                        c.authPlain("alice@example.test", Submission.PASSWORD));
            }
            redis.restart();
            await().atMost(Duration.ofSeconds(15)).until(() -> SharedGateways.isConnected(closed.gateway()));
            try (SmtpClient c = closed.encryptedClient()) {
                assertEquals("235 2.7.0 Authentication successful", c.authPlain("alice@example.test", Submission.PASSWORD));
            }
        }
    }

    private static void awaitConnected(Submission... instances) {
        await().atMost(Duration.ofSeconds(15)).until(() -> java.util.Arrays.stream(instances)
                .allMatch(s -> SharedGateways.isConnected(s.gateway())));
    }
}
