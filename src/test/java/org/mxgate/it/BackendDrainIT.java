package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Drain and halt a backend at run time (the Java API the admin endpoint will call): a 2 MB
 * message in flight completes on a draining backend, the next ones go elsewhere; halt also
 * closes its idle sessions. A backend with {@code state: drain} in the file starts drained.
 */
class BackendDrainIT {

    private static TestGateway gateway(int a, int b, String stateOfA) throws Exception {
        return TestGateway.withMailboxPool("""
                balance: round_robin
                servers:
                  - { name: a, address: 127.0.0.1:%d, state: %s }
                  - { name: b, address: 127.0.0.1:%d }
                """.formatted(a, stateOfA, b));
    }

    private static final byte[] SMALL = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void drainLetsTheMessageInFlightFinishAndSendsTheRestElsewhere() throws Exception {
        try (RecordingBackend a = new RecordingBackend();
             RecordingBackend b = new RecordingBackend();
             TestGateway gateway = gateway(a.port(), b.port(), "up");
             SmtpClient client = new SmtpClient(gateway.gateway().port("internet"))) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<x@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
            assertTrue(client.send("DATA").startsWith("354"));
            String line = "y".repeat(998) + "\r\n";
            client.write(("Subject: big\r\n\r\n" + line.repeat(1000)).getBytes(StandardCharsets.US_ASCII));
            gateway.gateway().pool("mailbox").drain("a");
            client.write(line.repeat(1000).getBytes(StandardCharsets.US_ASCII));
            client.write(".\r\n");
            String reply = client.reply();
            assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend a"), reply);
            for (int i = 0; i < 4; i++) {
                assertTrue(client.sendMessage("x@client.test", List.of("user@example.test"), SMALL).contains("(backend b"));
            }
            assertEquals(1, a.messages().size());
            byte[] kept = a.messages().get(0).bytes();
            assertTrue(kept.length > 2_000_000, () -> "backend a kept " + kept.length + " bytes, beginning "
                    + new String(kept, 0, Math.min(300, kept.length), StandardCharsets.US_ASCII));
            assertEquals(4, b.messages().size());
        }
    }

    @Test
    void haltClosesIdleSessionsAndStateInTheFileStartsDrained() throws Exception {
        try (RecordingBackend a = new RecordingBackend();
             RecordingBackend b = new RecordingBackend();
             TestGateway gateway = gateway(a.port(), b.port(), "drain");
             SmtpClient client = new SmtpClient(gateway.gateway().port("internet"))) {
            client.hello();
            for (int i = 0; i < 3; i++) {
                assertTrue(client.sendMessage("x@client.test", List.of("user@example.test"), SMALL).contains("(backend b"));
            }
            assertEquals(0, a.mailCommands(), "state: drain in the file");

            var pool = gateway.gateway().pool("mailbox");
            pool.enable("a");
            pool.drain("b");
            assertTrue(client.sendMessage("x@client.test", List.of("user@example.test"), SMALL).contains("(backend a"));
            pool.halt("a");
            // The idle session's connection ends at the backend: halt has closed it.
            a.awaitAllSessionsEnded();
            pool.enable("a");
            assertTrue(client.sendMessage("x@client.test", List.of("user@example.test"), SMALL).contains("(backend a"));
            assertEquals(2, a.connections(), "halt closed the idle session, so the next message needed a new one");
        }
    }
}
