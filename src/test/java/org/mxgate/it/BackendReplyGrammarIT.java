package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Backend replies read by the grammar of RFC 5321 4.2, end to end: a reply code without text is
 * a reply (after the final dot, a 250 that must not turn into a replay and a duplicate), and a
 * code with a non-digit in it is a broken backend, never a 250.
 */
class BackendReplyGrammarIT {

    private static final byte[] BODY = "Subject: grammar\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A raw backend; {@code terse} answers every command with its code alone, {@code afterDot} is its reply to the final dot. */
    private static final class WireBackend implements AutoCloseable {

        private final boolean terse;
        private final String afterDot;
        private final LoopbackServer server;
        private final AtomicInteger dots = new AtomicInteger();

        WireBackend(boolean terse, String afterDot) throws IOException {
            this.terse = terse;
            this.afterDot = afterDot;
            server = new LoopbackServer("wire-backend", this::serve);
        }

        int port() {
            return server.port();
        }

        /** Messages whose final dot this backend read: each one it may have kept. */
        int dots() {
            return dots.get();
        }

        private String reply(String code, String text) {
            return terse ? code + "\r\n" : code + " " + text + "\r\n";
        }

        private void serve(Socket socket) {
            try (socket) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                out.write(reply("220", "wire.test ESMTP").getBytes(StandardCharsets.US_ASCII));
                for (String line; (line = in.readLine()) != null; ) {
                    String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                    String reply = switch (verb) {
                        case "DATA" -> reply("354", "go ahead");
                        case "QUIT" -> reply("221", "bye");
                        default -> reply("250", "ok");
                    };
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (verb.equals("QUIT")) {
                        return;
                    }
                    if (verb.equals("DATA")) {
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // the message
                        }
                        dots.incrementAndGet();
                        out.write(afterDot.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // The gateway went away first: nothing to record.
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void aBareCodeAfterTheDotIsA250AndTheMessageGoesNowhereElse() throws Exception {
        try (WireBackend terse = new WireBackend(false, "250\r\n");
             RecordingBackend other = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(terse.port(), other.port()))) {
            for (int i = 0; i < 2; i++) {
                try (SmtpClient client = new SmtpClient(gateway.internet())) {
                    client.hello();
                    String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
                    assertTrue(reply.startsWith("250 2.0.0"), reply);
                }
            }
            assertTrue(terse.dots() >= 1, "round robin must have used the terse backend");
            // 250 means a backend has it, and only one: no replay after a 250 without text.
            assertEquals(2, terse.dots() + other.messages().size(), "each message delivered exactly once");
        }
    }

    @Test
    void aBackendThatAnswersEveryCommandWithItsCodeAloneCarriesMail() throws Exception {
        try (WireBackend terse = new WireBackend(true, "250\r\n");
             TestGateway gateway = TestGateway.start(List.of(terse.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
            assertTrue(reply.startsWith("250 2.0.0"), reply);
            assertEquals(1, terse.dots());
        }
    }

    @Test
    void aNonDigitInTheCodeAfterTheDotIsNeverA250() throws Exception {
        try (WireBackend garbled = new WireBackend(false, "25x Ok\r\n");
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(garbled.port(), healthy.port()))) {
            for (int i = 0; i < 2; i++) {
                try (SmtpClient client = new SmtpClient(gateway.internet())) {
                    client.hello();
                    String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
                    assertTrue(reply.startsWith("250 2.0.0"), reply);
                }
            }
            assertTrue(garbled.dots() >= 1, "round robin must have used the garbled backend");
            // The garbled reply is a lost connection: the message is replayed, so the healthy one has them all.
            assertEquals(2, healthy.messages().size());
        }
    }
}
