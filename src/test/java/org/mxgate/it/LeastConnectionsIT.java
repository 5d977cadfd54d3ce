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
import org.mxgate.backend.Backend;

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
     * for its greeting sees it idle, and the whole burst herds onto it.
     */
    @Test
    void aBackendSlowToGreetCountsTheTransactionsWaitingForIt() throws Exception {
        try (RecordingBackend slow = new RecordingBackend();
             RecordingBackend fast = new RecordingBackend();
             // No health probe during the test: one would wait for its greeting too.
             TestGateway gateway = gateway(slow, fast, "health_check: { interval: 1h }\n")) {
            slow.holdingGreetings();
            ExecutorService clients = Executors.newFixedThreadPool(10);
            try {
                List<Future<?>> done = sendBurst(gateway, clients);
                slow.awaitHeldGreeting();
                Backend waiting = gateway.gateway().pool("mailbox").backends().stream()
                        .filter(b -> b.name().equals("slow")).findFirst().orElseThrow();
                assertTrue(waiting.transactions() >= 1, "a transaction waiting for the greeting counts");
                // The clients not waiting on the slow backend send all their messages to the fast
                // one meanwhile. Counted at choice, the slow backend takes a transaction only while
                // it holds fewer than the fast one, so about half of the ten clients wait on it (one
                // more when two I/O threads choose at once: the choice and the count are two steps);
                // counted at connection, all ten would, and the fast backend would get nothing.
                await().atMost(Duration.ofSeconds(10)).until(() -> fast.messages().size() >= 20);
                assertTrue(slow.heldGreetings() <= 6, slow.heldGreetings() + " transactions waiting on the slow backend");
                slow.releaseGreetings();
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                // A failed check above must not leave the held connections waiting.
                slow.releaseGreetings();
                clients.shutdownNow();
            }
            assertEquals(40, slow.messages().size() + fast.messages().size());
            assertCountsGivenBack(gateway);
        }
    }

    private static TestGateway gateway(RecordingBackend slow, RecordingBackend fast, String poolKeys) throws Exception {
        return TestGateway.withMailboxPool("""
                balance: least_connections
                servers:
                  - { name: slow, address: 127.0.0.1:%d }
                  - { name: fast, address: 127.0.0.1:%d }
                """.formatted(slow.port(), fast.port()) + poolKeys);
    }

    /** Ten clients, four messages each, all at once; each future fails unless every message got a 250. */
    private static List<Future<?>> sendBurst(TestGateway gateway, ExecutorService clients) {
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
        return done;
    }

    private static void assertSlowGetsFewer(RecordingBackend slow, RecordingBackend fast) throws Exception {
        try (TestGateway gateway = gateway(slow, fast, "")) {
            ExecutorService clients = Executors.newFixedThreadPool(10);
            try {
                for (Future<?> f : sendBurst(gateway, clients)) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            assertFewerAndCountsGivenBack(gateway, slow, fast);
        }
    }

    private static void assertFewerAndCountsGivenBack(TestGateway gateway, RecordingBackend slow, RecordingBackend fast) {
        assertEquals(40, slow.messages().size() + fast.messages().size());
        assertTrue(slow.messages().size() < fast.messages().size() / 2,
                "slow " + slow.messages().size() + ", fast " + fast.messages().size());
        assertCountsGivenBack(gateway);
    }

    /** Every count is given back once the transactions are over. */
    private static void assertCountsGivenBack(TestGateway gateway) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> gateway.gateway().pool("mailbox").backends()
                .forEach(b -> assertEquals(0, b.transactions(), b.name() + " transactions")));
    }
}
