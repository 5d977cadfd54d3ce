package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: 200 clients, each from an address of its own, send one byte every 5 s: half of
 * them a command that never ends, half a message's content after DATA. The command timeout
 * and the minimum data rate cut every one of them off with 421 4.4.2, and none of their
 * messages reaches the backend, while a normal client delivers 100 messages in the same run,
 * each exactly once.
 */
class SlowClientsIT {

    private static final int SLOW = 200;
    // Longer than the 5 s between bytes: only "complete commands count" and the data rate catch them.
    private static final String LIMITS = "  idle_timeout: 8s\n  data_block_timeout: 8s\n  min_data_rate: 500\n";

    @Test
    void tricklingClientsAreCutOffWhileANormalClientDelivers() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", LIMITS)) {
            List<CompletableFuture<String>> slow = new ArrayList<>();
            for (int i = 0; i < SLOW; i++) {
                String from = "127.0.1." + (i + 1);
                boolean inContent = i % 2 == 1;
                CompletableFuture<String> lastReply = new CompletableFuture<>();
                Thread t = new Thread(() -> trickle(gateway.internet(), from, inContent, lastReply), "slowloris-" + i);
                t.setDaemon(true);
                t.start();
                slow.add(lastReply);
            }
            try (SmtpClient client = new SmtpClient(gateway.internet())) {
                client.hello();
                for (int i = 0; i < 100; i++) {
                    String reply = client.sendMessage("normal@client.test", List.of("user@example.test"),
                            ("Subject: " + i + "\r\n\r\nnot slow\r\n").getBytes(StandardCharsets.US_ASCII));
                    assertTrue(reply.startsWith("250 2.0.0"), i + ": " + reply);
                }
            }
            int cutOff = 0;
            for (CompletableFuture<String> lastReply : slow) {
                String reply = lastReply.get(60, TimeUnit.SECONDS);
                assertTrue(reply.startsWith("421 4.4.2"), "a slow client was told: " + reply);
                cutOff++;
            }
            assertEquals(SLOW, cutOff);
            assertEquals(100, backend.messages().size(), "the normal client's messages, each once, and none of the slow ones");
            assertTrue(backend.messages().stream().allMatch(m -> m.from().equals("normal@client.test")));
        }
    }

    /**
     * One byte every 5 s until the gateway closes the connection; completes with the last
     * reply it sent. The socket's read timeout sets the pace: it is the slow client's wait.
     */
    private static void trickle(int port, String from, boolean inContent, CompletableFuture<String> lastReply) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            StringBuilder received = new StringBuilder();
            finalReplies(in, received, 1);
            if (inContent) {
                out.write("EHLO slow.test\r\nMAIL FROM:<slow@client.test>\r\nRCPT TO:<user@example.test>\r\nDATA\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                finalReplies(in, received, 5);
                if (!received.toString().contains("\r\n354 ")) {
                    throw new IOException("no 354: " + received);
                }
                out.write("Subject: slow\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write("NOOP".getBytes(StandardCharsets.US_ASCII));
            }
            socket.setSoTimeout(5000);
            byte[] buf = new byte[512];
            while (true) {
                try {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    received.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                } catch (SocketTimeoutException paceOfFiveSeconds) {
                    out.write('x');
                } catch (IOException reset) {
                    // Closed under a byte we had just sent: what we read before it is the answer.
                    break;
                }
            }
            String[] lines = received.toString().split("\r\n");
            lastReply.complete(lines[lines.length - 1]);
        } catch (IOException e) {
            lastReply.complete("connection failed: " + e);
        }
    }

    /** Reads until {@code count} final reply lines ("NNN text", not "NNN-text") have arrived in all. */
    private static void finalReplies(InputStream in, StringBuilder received, int count) throws IOException {
        byte[] buf = new byte[512];
        while (!received.toString().endsWith("\r\n") || java.util.Arrays.stream(received.toString().split("\r\n"))
                .filter(line -> line.matches("\\d{3}( .*)?")).count() < count) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("closed after: " + received);
            }
            received.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
    }
}
