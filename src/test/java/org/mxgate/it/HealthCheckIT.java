package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed scenario: a backend that answers EHLO fine but 452 4.3.1 to MAIL FROM from external
 * senders. The mail_from probe (with an external-looking sender) takes it out of rotation
 * before clients meet the refusal and brings it back when the pressure ends; an EHLO probe
 * never notices, so clients' transactions keep hitting it first.
 */
class HealthCheckIT {

    private static final String PROBE_SENDER = "probe@outside.test";
    private static final long INTERVAL = 200;

    private static TestGateway gateway(String probe, int pressured, int healthy) throws Exception {
        return TestGateway.withMailboxPool("""
                balance: round_robin
                slow_start: 0s
                health_check: { interval: %dms, timeout: 1s, probe: %s, sender: %s, rise: 2, fall: 2 }
                servers:
                  - { name: pressured, address: 127.0.0.1:%d }
                  - { name: healthy, address: 127.0.0.1:%d }
                """.formatted(INTERVAL, probe, PROBE_SENDER, pressured, healthy));
    }

    private static void sendTen(TestGateway gateway) throws Exception {
        try (SmtpClient client = new SmtpClient(gateway.gateway().port("internet"))) {
            client.hello();
            for (int i = 0; i < 10; i++) {
                String reply = client.sendMessage("someone@external.test", List.of("user@example.test"),
                        ("Subject: " + i + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII));
                assertTrue(reply.startsWith("250 2.0.0"), reply);
            }
        }
    }

    private static long clientMails(RecordingBackend backend) {
        return backend.mailSenders().stream().filter(s -> !s.equals(PROBE_SENDER)).count();
    }

    @Test
    void mailFromProbeTakesAPressuredBackendOutAndBringsItBack() throws Exception {
        try (RecordingBackend pressured = new RecordingBackend();
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = gateway("mail_from", pressured.port(), healthy.port())) {
            pressured.pressureForExternalSenders(true);
            long start = System.nanoTime();
            await("marked down").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !gateway.gateway().pool("mailbox").backends().get(0).isUp());
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis <= INTERVAL * 2 * 3, "down after " + tookMillis + " ms; interval x fall is " + INTERVAL * 2);
            assertTrue(pressured.mailSenders().contains(PROBE_SENDER), "the probe said MAIL FROM:<" + PROBE_SENDER + ">");

            sendTen(gateway);
            assertEquals(0, clientMails(pressured), "no client transaction reaches a backend that is down");
            assertEquals(10, healthy.messages().size());

            pressured.pressureForExternalSenders(false);
            await("back up once the pressure ended").atMost(Duration.ofSeconds(5))
                    .until(() -> gateway.gateway().pool("mailbox").backends().get(0).isUp());
            sendTen(gateway);
            assertTrue(pressured.messages().size() >= 4, "round robin shares again: " + pressured.messages().size());
        }
    }

    @Test
    void ehloProbeDoesNotSeeThePressureSoClientsHitIt() throws Exception {
        try (RecordingBackend pressured = new RecordingBackend();
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = gateway("ehlo", pressured.port(), healthy.port())) {
            pressured.pressureForExternalSenders(true);
            // Probes of one backend run one after another, each counted before the next connects: at the
            // (fall + 1)th probe connection, fall probes have been counted, enough to have marked it down.
            await("three EHLO probes").atMost(Duration.ofSeconds(5)).until(() -> pressured.sessions() >= 3);
            assertTrue(gateway.gateway().pool("mailbox").backends().get(0).isUp(), "an EHLO probe sees a healthy server");
            assertFalse(pressured.mailSenders().contains(PROBE_SENDER), "an EHLO probe says no MAIL FROM");
            sendTen(gateway);
            assertTrue(clientMails(pressured) >= 1, "client transactions hit the pressured backend and were moved on");
            assertEquals(10, healthy.messages().size());
        }
    }
}
