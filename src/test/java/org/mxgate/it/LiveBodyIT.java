package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The body on a live backend session: the client hears 354 before the backend does, so the part
 * of the body that came first is kept and written to the backend once its 354 is in, while the
 * client keeps sending; the client is paused meanwhile. When that kept part is written, the
 * session goes on with the client's next bytes: those the client sent while paused (buffered,
 * decoded on resuming) must go to the backend too. A message that reaches the backend shorter
 * than it was sent, answered 250, is mail lost without a trace.
 */
class LiveBodyIT {

    @Test
    void bytesSentWhileTheKeptBodyIsWrittenReachTheBackend() throws Exception {
        String line = "z".repeat(998) + "\r\n";
        byte[] first = ("Subject: live\r\n\r\n" + line.repeat(2000)).getBytes(StandardCharsets.US_ASCII);
        byte[] second = line.repeat(2000).getBytes(StandardCharsets.US_ASCII);
        try (SlowSinkBackend backend = new SlowSinkBackend(read -> { }).holdingDataReply().keepingContent();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "    data_timeout: 60s\n", "",
                     "spool:\n  memory_limit: 64KB\n");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<x@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
            assertTrue(client.send("DATA").startsWith("354"), "the live session's 354 comes at once");
            backend.awaitDataCommand();
            // Kept while the backend's 354 is held, in the spool file: each chunk of it is then
            // read off the event loop, so the client's next bytes come in while it is written.
            client.write(first);
            backend.releaseDataReply();
            client.write(second);
            client.write(".\r\n");
            String reply = client.reply();
            assertTrue(reply.startsWith("250 2.0.0"), reply);

            byte[] got = backend.lastMessage();
            byte[] sent = concat(first, second, ".\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(got.length >= sent.length, "the backend got " + got.length + " bytes for " + sent.length
                    + " sent (and our Received header): " + (sent.length - got.length) + " or more lost");
            String header = new String(got, 0, got.length - sent.length, StandardCharsets.US_ASCII);
            assertTrue(header.startsWith("Received: ") && header.length() < 1000, header);
            assertArrayEquals(sent, Arrays.copyOfRange(got, got.length - sent.length, got.length));
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
