package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxgate.backend.Backend;

/**
 * Back pressure as its own state: a backend answering 452 4.3.1 to live transactions gets no
 * new ones during its cooldown, which doubles when the pressure repeats and resets on success;
 * it never counts as down.
 */
class PressureIT {

    private static String send(TestGateway gateway) throws Exception {
        try (SmtpClient client = new SmtpClient(gateway.gateway().port("internet"))) {
            client.hello();
            return client.sendMessage("someone@external.test", List.of("user@example.test"),
                    "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static long clientMails(RecordingBackend backend) {
        return backend.mailSenders().size();
    }

    @Test
    void pressuredBackendRestsForACooldownThatDoublesAndResets() throws Exception {
        try (RecordingBackend pressured = new RecordingBackend();
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.withMailboxPool("""
                     balance: round_robin
                     pressure_cooldown: 1s
                     servers:
                       - { name: pressured, address: 127.0.0.1:%d }
                       - { name: healthy, address: 127.0.0.1:%d }
                     """.formatted(pressured.port(), healthy.port()))) {
            Backend backend = gateway.gateway().pool("mailbox").backends().get(0);
            pressured.pressureForExternalSenders(true);
            assertTrue(send(gateway).startsWith("250 2.0.0"));
            assertEquals(1, clientMails(pressured), "the first transaction met the pressure and moved on");
            assertTrue(backend.isUnderPressure());
            assertTrue(backend.isUp(), "pressure is not down");
            for (int i = 0; i < 10; i++) {
                assertTrue(send(gateway).startsWith("250 2.0.0"));
            }
            assertEquals(1, clientMails(pressured), "no new transaction during the cooldown");

            await("the cooldown ends").atMost(Duration.ofSeconds(3)).until(() -> !backend.isUnderPressure());
            for (int i = 0; i < 2; i++) {
                assertTrue(send(gateway).startsWith("250 2.0.0"));
            }
            assertEquals(2, clientMails(pressured), "tried again after the cooldown, and pressed again");
            long start = System.nanoTime();
            await("the doubled cooldown ends").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !backend.isUnderPressure());
            long restedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(restedMillis > 1500, "the second cooldown is doubled to 2 s, rested " + restedMillis + " ms");

            pressured.pressureForExternalSenders(false);
            for (int i = 0; i < 2; i++) {
                assertTrue(send(gateway).startsWith("250 2.0.0"));
            }
            assertFalse(backend.isUnderPressure());
            assertEquals(1, pressured.messages().size(), "back in rotation");
            assertEquals(13 + 1, healthy.messages().size());
        }
    }

    @Test
    void aSlowMailFromCountsAsBackPressure() throws Exception {
        try (RecordingBackend slow = new RecordingBackend().slowAtMail(400);
             RecordingBackend fast = new RecordingBackend();
             TestGateway gateway = TestGateway.withMailboxPool("""
                     balance: round_robin
                     slow_mail_from: 200ms
                     servers:
                       - { name: slow, address: 127.0.0.1:%d }
                       - { name: fast, address: 127.0.0.1:%d }
                     """.formatted(slow.port(), fast.port()))) {
            for (int i = 0; i < 6; i++) {
                assertTrue(send(gateway).startsWith("250 2.0.0"));
            }
            assertEquals(1, slow.messages().size(), "delivered once, slowly, then rested");
            assertEquals(5, fast.messages().size());
            assertTrue(gateway.gateway().pool("mailbox").backends().get(0).isUnderPressure());
        }
    }
}
