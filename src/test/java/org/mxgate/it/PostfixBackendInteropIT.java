package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real Postfix as a backend: mxgate relays to a private Postfix instance that stores mail in a
 * Maildir. The 250 names Postfix's queue id, and the stored messages, 8-bit and SMTPUTF8
 * among them, hold the client's bytes behind our Received header.
 */
@Tag("interop")
class PostfixBackendInteropIT {

    private static final Pattern BACKEND_ID = Pattern.compile("\\(backend b1 ([0-9A-Za-z]+)\\)");

    @Test
    void postfixBehindTheGatewayStoresEveryMessageByteForByte() throws Exception {
        assumeTrue(InteropTools.postfixMissing() == null, InteropTools.postfixMissing());
        Path mail = Files.createTempDirectory("mxgate-maildir-");
        try (PostfixInstance postfix = PostfixInstance.mailbox("backend", mail, Map.of());
             TestGateway gateway = TestGateway.start(List.of(postfix.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            List<byte[]> bodies = new ArrayList<>();
            List<String> recipients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                bodies.add(("Subject: plain " + i + "\r\n\r\nline one\r\n.leading dot\r\n").getBytes(StandardCharsets.US_ASCII));
                recipients.add("user@example.test");
            }
            bodies.add("Subject: =?UTF-8?Q?caf=C3=A9?=\r\n\r\nd\u00e9j\u00e0 vu, 8-bit\r\n".getBytes(StandardCharsets.UTF_8));
            recipients.add("user@example.test");
            bodies.add("Subject: unicode\r\n\r\n\u7528\u6237\r\n".getBytes(StandardCharsets.UTF_8));
            recipients.add("\u7528\u6237@example.test");

            List<String> backendIds = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                String reply = client.sendMessage("sender@client.test", List.of(recipients.get(i)), bodies.get(i));
                Matcher id = BACKEND_ID.matcher(reply);
                assertTrue(reply.startsWith("250 2.0.0") && id.find(), "the 250 names Postfix's queue id: " + reply);
                backendIds.add(id.group(1));
            }
            Path inbox = mail.resolve("inbox/new");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(bodies.size(), PostfixInstance.messagesIn(inbox),
                    () -> "stored in the inbox\n" + postfix.maillog()));
            for (String id : backendIds) {
                assertTrue(postfix.maillog().contains(id + ": to=<"), "Postfix delivered " + id);
            }
            List<byte[]> storedBodies = new ArrayList<>();
            try (Stream<Path> files = Files.list(inbox)) {
                for (Path file : files.toList()) {
                    storedBodies.add(Files.readAllBytes(file));
                }
            }
            for (byte[] body : bodies) {
                // Postfix adds its own Received, Message-ID and Date headers; our header lines and the
                // whole body after the blank line must be there unchanged.
                String sent = maildirForm(body);
                String header = sent.substring(0, sent.indexOf("\n\n") + 1);
                String content = sent.substring(sent.indexOf("\n\n"));
                long copies = storedBodies.stream()
                        .map(file -> new String(file, StandardCharsets.UTF_8))
                        .filter(text -> text.contains(header) && text.endsWith(content))
                        .count();
                assertEquals(1, copies, "stored exactly once, byte for byte: " + sent);
            }
            for (byte[] s : storedBodies) {
                assertTrue(new String(s, StandardCharsets.UTF_8).contains("by mx.test.invalid (mxgate internet)"));
            }
        } finally {
            try (Stream<Path> files = Files.walk(mail)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Maildir files hold LF line endings: Postfix stores lines, not the wire form. */
    private static String maildirForm(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
