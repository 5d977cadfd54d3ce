package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that pipelines 100,000 NOOPs is cut off at max_junk_commands (100 by default, as
 * Postfix's smtpd_junk_command_limit): exactly that many 250s, then 421 4.7.0 and the close,
 * while the gateway goes on serving others.
 */
class JunkCommandsIT {

    private static final int NOOPS = 100_000;

    @Test
    void aHundredThousandNoopsAreCutOffAtTheLimit() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient flood = new SmtpClient(gateway.internet())) {
            flood.hello();
            Thread writer = new Thread(() -> {
                byte[] block = "NOOP\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
                try {
                    for (int sent = 0; sent < NOOPS; sent += 1000) {
                        flood.write(block);
                    }
                } catch (IOException cutOff) {
                    // The gateway closed the connection: the point of the test.
                }
            }, "noop-flood");
            writer.setDaemon(true);
            writer.start();
            int ok = 0;
            String reply;
            while ((reply = flood.reply()) != null && reply.startsWith("250 ")) {
                ok++;
            }
            assertEquals(100, ok, "NOOPs answered before the cut");
            assertEquals("421 4.7.0 mx.test.invalid Error: too many commands without mail", reply);
            assertTrue(closedOrReset(flood));
            try (SmtpClient other = new SmtpClient(gateway.internet())) {
                other.hello();
                String queued = other.sendMessage("a@client.test", List.of("user@example.test"),
                        "Subject: after the flood\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(queued.startsWith("250 2.0.0"), queued);
            }
        }
    }

    /** The gateway closes with NOOPs still unread, which a TCP stack may answer with a reset instead of a FIN. */
    private static boolean closedOrReset(SmtpClient client) throws IOException {
        try {
            return client.isClosedByServer();
        } catch (SocketException reset) {
            return true;
        }
    }
}
