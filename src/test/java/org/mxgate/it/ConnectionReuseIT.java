package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connection reuse: 1000 sequential messages, each in a session of its own, open only a handful of backend connections. */
class ConnectionReuseIT {

    @Test
    void aThousandSequentialMessagesUseAHandfulOfBackendConnections() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()))) {
            byte[] body = "Subject: reuse\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 1000; i++) {
                try (SmtpClient client = new SmtpClient(gateway.internet())) {
                    client.hello();
                    String reply = client.sendMessage("a@client.test", List.of("user@example.test"), body);
                    assertTrue(reply.startsWith("250 2.0.0"), i + ": " + reply);
                    client.send("QUIT");
                }
            }
            assertEquals(1000, backend.messages().size());
            int connections = backend.connections();
            // One parked session per I/O thread is enough for sequential mail.
            assertTrue(connections <= Runtime.getRuntime().availableProcessors() + 2, connections + " backend connections");
        }
    }
}
