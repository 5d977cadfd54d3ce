package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear SMTP reply, and the session survives where RFC 5321 says so. */
class SessionLimitsIT {

    /** SessionHandler.CLOSE_GRACE_SECONDS, which is package-private in the listener package. */
    private static final int CLOSE_GRACE_SECONDS = 10;

    private static final String LIMITS = "  max_message_size: 2KB\n  max_recipients: 2\n  idle_timeout: 1s\n";
    /** The NOOP flood must be ended by the idle timeout, not by the junk command limit (JunkCommandsIT). */
    private static final String FLOOD_LIMITS = LIMITS + "  max_junk_commands: 0\n";

    @Test
    void overlongCommandLineIsRefusedAndTheSessionGoesOn() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.send("MAIL FROM:<" + "a".repeat(600) + "@client.test>");
            assertTrue(reply.startsWith("500 5.5.6"), reply);
            assertTrue(client.send("NOOP").startsWith("250"));
        }
    }

    @Test
    void messageOverTheSizeLimitIsRefusedAfterTheDotAndNotDelivered() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", LIMITS);
             SmtpClient client = new SmtpClient(gateway.internet())) {
            assertTrue(client.hello().contains("SIZE 2048"));
            assertTrue(client.send("MAIL FROM:<a@client.test> SIZE=5000").startsWith("552 5.3.4"));
            byte[] big = ("Subject: big\r\n\r\n" + "y".repeat(100) + "\r\n").repeat(40).getBytes(StandardCharsets.US_ASCII);
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), big);
            assertTrue(reply.startsWith("552 5.3.4"), reply);
            assertTrue(client.send("NOOP").startsWith("250"));
            // Too big: the backend transaction was abandoned by closing its connection. Once the
            // backend has read every connection to its end, nothing more can arrive.
            backend.awaitAllSessionsEnded();
            assertEquals(0, backend.messages().size());
        }
    }

    @Test
    void recipientsOverTheLimitGet452() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", LIMITS);
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<one@example.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<two@example.test>").startsWith("250"));
            String third = client.send("RCPT TO:<three@example.test>");
            assertTrue(third.startsWith("452 4.5.3"), third);
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedAfterItsIdleTimeoutAndTheCloseGrace() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", FLOOD_LIMITS);
             Socket flood = new Socket()) {
            flood.setReceiveBufferSize(4096);
            flood.connect(new InetSocketAddress("127.0.0.1", gateway.internet()));
            CompletableFuture<String> writer = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                byte[] noops = "NOOP\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
                try {
                    while (true) {
                        flood.getOutputStream().write(noops);
                    }
                } catch (IOException e) {
                    writer.complete(e.toString());
                }
            }, "noop-flood");
            thread.setDaemon(true);
            thread.start();
            // The gateway stops reading once its replies back up, says 421 after idle_timeout (1 s),
            // and closes the connection CLOSE_GRACE_SECONDS later although that reply can never be
            // written: the blocked write then fails. Without the grace it would stay open for good.
            String ended = writer.get(1 + CLOSE_GRACE_SECONDS + 15, TimeUnit.SECONDS);
            assertTrue(ended.contains("reset") || ended.contains("Broken pipe") || ended.contains("closed"), ended);
        }
    }

    @Test
    void idleClientGets421AndIsDisconnected() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", LIMITS);
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.reply();
            assertTrue(reply.startsWith("421 4.4.2"), reply);
            assertTrue(client.isClosedByServer());
        }
    }

    @Test
    void commandsOutOfOrderAndBadSyntaxGetTheirCodes() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.reply();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("503 5.5.1"));
            assertTrue(client.send("EHLO").startsWith("501 5.5.4"));
            assertTrue(client.send("HELO client.test").startsWith("250 mx.test.invalid"));
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("503 5.5.1"));
            assertTrue(client.send("MAIL FROM:a@client.test").startsWith("501 5.5.4"));
            assertTrue(client.send("MAIL FROM:<a@client.test> FOO=BAR").startsWith("555 5.5.4"));
            assertTrue(client.send("DATA").startsWith("503 5.5.1"));
            assertTrue(client.send("VRFY user").startsWith("252"));
            assertTrue(client.send("HELP").startsWith("214"));
            assertTrue(client.send("XYZZY").startsWith("500 5.5.1"));
            assertTrue(client.send("QUIT").startsWith("221"));
        }
    }
}
