package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** least_connections over real sessions: a backend slow to answer MAIL holds its transactions longer and gets fewer. */
class LeastConnectionsIT {

    @Test
    void theSlowBackendGetsFewerTransactions() throws Exception {
        try (RecordingBackend slow = new RecordingBackend().slowAtMail(300);
             RecordingBackend fast = new RecordingBackend()) {
            assertSlowGetsFewer(slow, fast);
        }
    }

    /**
     * A transaction counts from the moment its backend is chosen, not from when the connection
     * to it is up: otherwise every transaction chosen while the slow backend's connections wait
     * for its greeting sees it idle, and a burst herds onto it.
     */
    @Test
    void aBackendSlowToGreetCountsTheTransactionsWaitingForIt() throws Exception {
        try (RecordingBackend slow = new RecordingBackend().slowAtGreeting(500);
             RecordingBackend fast = new RecordingBackend()) {
            assertSlowGetsFewer(slow, fast);
        }
    }

    private static void assertSlowGetsFewer(RecordingBackend slow, RecordingBackend fast) throws Exception {
        try (
             TestGateway gateway = TestGateway.withMailboxPool("""
                     balance: least_connections
                     servers:
                       - { name: slow, address: 127.0.0.1:%d }
                       - { name: fast, address: 127.0.0.1:%d }
                     """.formatted(slow.port(), fast.port()))) {
            ExecutorService clients = Executors.newFixedThreadPool(10);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 10; c++) {
                    done.add(clients.submit(() -> {
                        try (SmtpClient client = new SmtpClient(gateway.gateway().port("internet"))) {
                            client.hello();
                            for (int i = 0; i < 4; i++) {
                                String reply = client.sendMessage("a@client.test", List.of("user@example.test"),
                                        "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                                assertTrue(reply.startsWith("250 2.0.0"), reply);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            assertEquals(40, slow.messages().size() + fast.messages().size());
            assertTrue(slow.messages().size() < fast.messages().size() / 2,
                    "slow " + slow.messages().size() + ", fast " + fast.messages().size());
            // And every count is given back once the transactions are over.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> gateway.gateway().pool("mailbox").backends()
                    .forEach(b -> assertEquals(0, b.transactions(), b.name() + " transactions")));
        }
    }
}
