package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxgate.backend.Backend;
import org.mxgate.config.ServerConfig;

/**
 * Backend flags across instances that share a Redis (issue 17, acceptance 3): a drain through
 * one instance's admin API stops new transactions from the others within 2 s, an enable through
 * another undoes it, an instance that starts later learns it; a 452 4.3.1 one instance meets puts
 * the backend under pressure for the others.
 */
class SharedBackendsIT {

    private static final byte[] BODY = "Subject: shared\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void aDrainThroughOneInstanceStopsTheOthersWithinTwoSeconds() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RecordingBackend b1 = new RecordingBackend();
             RecordingBackend b2 = new RecordingBackend();
             SharedGateways gateways = SharedGateways.start(2, redis, List.of(b1.port(), b2.port()), "", "", "",
                     AdminHttp.adminBlock(dir))) {
            TestGateway a = gateways.get(0);
            TestGateway b = gateways.get(1);
            assertEquals(200, new AdminHttp(a.gateway().adminPort()).post("/api/backends/mailbox/b1/drain",
                    AdminHttp.TOKEN).status());
            Backend b1OnB = b.gateway().pool("mailbox").backends().get(0);
            await().atMost(Duration.ofSeconds(2)).until(() -> b1OnB.state() == Backend.State.DRAINING);
            int before = b1.messages().size();
            for (int i = 0; i < 4; i++) {
                assertTrue(send(b).startsWith("250 2.0.0"));
            }
            assertEquals(before, b1.messages().size(), "no new transaction to the drained backend from the other instance");

            // An instance that starts now learns the drain from Redis.
            try (TestGateway late = SharedGateways.instance(redis, List.of(b1.port(), b2.port()), "", "", "", "")) {
                await().atMost(Duration.ofSeconds(5)).until(() -> late.gateway().pool("mailbox").backends().get(0)
                        .adminState() == ServerConfig.AdminState.DRAIN);
            }

            // Enabled through the other instance: back on both.
            assertEquals(200, new AdminHttp(b.gateway().adminPort()).post("/api/backends/mailbox/b1/enable",
                    AdminHttp.TOKEN).status());
            Backend b1OnA = a.gateway().pool("mailbox").backends().get(0);
            await().atMost(Duration.ofSeconds(2)).until(() -> b1OnA.state() == Backend.State.UP);
        }
    }

    @Test
    void backPressureMetByOneInstanceRestsTheBackendForTheOthers() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RecordingBackend pressured = new RecordingBackend();
             RecordingBackend healthy = new RecordingBackend();
             SharedGateways gateways = SharedGateways.start(2, redis, List.of(pressured.port(), healthy.port()),
                     "    pressure_cooldown: 30s\n", "", "")) {
            pressured.pressureForExternalSenders(true);
            assertTrue(send(gateways.get(0)).startsWith("250 2.0.0"), "moved on to the healthy backend");
            assertEquals(1, pressured.mailSenders().size(), "the first instance met the 452 4.3.1");
            Backend onB = gateways.get(1).gateway().pool("mailbox").backends().get(0);
            await().atMost(Duration.ofSeconds(2)).until(onB::isUnderPressure);
            for (int i = 0; i < 4; i++) {
                assertTrue(send(gateways.get(1)).startsWith("250 2.0.0"));
            }
            assertEquals(1, pressured.mailSenders().size(), "the other instance sent nothing there during the cooldown");
        }
    }

    private static String send(TestGateway gateway) throws Exception {
        try (SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            return client.sendMessage("someone@external.test", List.of("user@example.test"), BODY);
        }
    }
}
