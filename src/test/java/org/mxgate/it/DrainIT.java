package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping the gateway: no new connections, 421 4.3.2 to sessions between transactions, and a
 * transaction in progress may finish with its backend's 250 within shutdown_grace. After the
 * grace, what is left is cut without a 250, so the client sends it again and nothing is lost.
 */
class DrainIT {

    @Test
    void stoppingLetsATransactionInProgressFinishAndSends421ToIdleSessions() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "", "shutdown_grace: 30s\n");
             SmtpClient idle = new SmtpClient(gateway.internet());
             SmtpClient sending = new SmtpClient(gateway.internet())) {
            idle.hello();
            startMessage(sending, "Subject: in flight\r\n\r\nfirst half\r\n");

            long start = System.nanoTime();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> gateway.gateway().close());

            String goodbye = idle.reply();
            assertTrue(goodbye.startsWith("421 4.3.2"), goodbye);
            assertTrue(idle.isClosedByServer());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", gateway.internet()).close());
            assertFalse(stopping.isDone(), "the gateway must wait for the transaction in progress");

            sending.write("second half\r\n.\r\n");
            String queued = sending.reply();
            assertTrue(queued.startsWith("250 2.0.0"), queued);
            String after = sending.reply();
            assertTrue(after.startsWith("421 4.3.2"), after);

            stopping.get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "stop must not wait out the grace");
            assertEquals(1, backend.messages().size());
            String body = new String(backend.messages().get(0).bytes(), StandardCharsets.US_ASCII);
            assertTrue(body.contains("first half\r\nsecond half\r\n"), body);
        }
    }

    @Test
    void afterTheGraceATransactionIsCutWithoutA250AndNothingIsDelivered() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "", "shutdown_grace: 500ms\n");
             SmtpClient stuck = new SmtpClient(gateway.internet())) {
            startMessage(stuck, "Subject: never finished\r\n\r\npart\r\n");

            long start = System.nanoTime();
            gateway.gateway().close();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis >= 400 && tookMillis < 5000, "close took " + tookMillis + " ms");

            assertTrue(stuck.isClosedByServer());
            // The gateway has stopped, so its backend connections are closed; once the backend has read
            // each to its end, nothing more can arrive.
            backend.awaitAllSessionsEnded();
            assertEquals(0, backend.messages().size());
        }
    }

    /** A transaction left in the middle of DATA: the first part of the body sent, no final dot. */
    private static void startMessage(SmtpClient client, String firstPart) throws Exception {
        client.hello();
        assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
        assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
        assertTrue(client.send("DATA").startsWith("354"));
        client.write(firstPart);
    }
}
