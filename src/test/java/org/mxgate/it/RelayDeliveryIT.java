package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A message through the gateway arrives at the backend as sent, behind one Received header. */
class RelayDeliveryIT {

    private static final byte[] BODY = ("From: a@client.test\r\nTo: user@example.test\r\nSubject: exact\r\n"
            + "\r\nLine one\r\n.leading dot\r\n..two dots\r\n\r\n  trailing spaces  \r\nlast line\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void messageReachesGreenMailByteForByteBehindOneReceivedHeader() throws Exception {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        try (TestGateway gateway = TestGateway.start(List.of(greenMail.getSmtp().getPort()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
            assertTrue(reply.startsWith("250 2.0.0 Ok: queued as "), reply);
            assertTrue(greenMail.waitForIncomingEmail(5000, 1));
            MimeMessage stored = greenMail.getReceivedMessages()[0];
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            stored.writeTo(raw);
            // GreenMail puts its own Return-Path and Received above ours, and its store keeps the
            // CRLF before the final dot as part of the terminator, so the last CRLF is not in it.
            byte[] afterReceived = afterOurReceivedHeader(raw.toByteArray());
            assertArrayEquals(sha256(Arrays.copyOf(BODY, BODY.length - 2)), sha256(afterReceived),
                    "backend got:\n" + new String(raw.toByteArray(), StandardCharsets.UTF_8));
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void exactBytesAtSubEthaBackendWithExactlyOneAddedHeader() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"), BODY).startsWith("250"));
            byte[] got = backend.messages().get(0).bytes();
            String text = new String(got, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("Received: from client.test (unknown [127.0.0.1])\r\n\tby mx.test.invalid (mxgate internet)"), text);
            assertArrayEquals(sha256(BODY), sha256(afterOurReceivedHeader(got)));
        }
    }

    @Test
    void eightBitAndSmtputf8PassUnchanged() throws Exception {
        byte[] body = ("Subject: =?UTF-8?B?w6TDtsO8?=\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße, 用户, ñ\r\n").getBytes(StandardCharsets.UTF_8);
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            String ehlo = client.hello();
            assertTrue(ehlo.contains("8BITMIME") && ehlo.contains("SMTPUTF8"), ehlo);
            assertTrue(client.send("MAIL FROM:<a@client.test> BODY=8BITMIME").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
            assertTrue(client.send("DATA").startsWith("354"));
            client.write(body);
            assertTrue(client.send(".").startsWith("250"));

            String reply = client.sendMessage("发件人@client.test", List.of("用户@example.test"), body);
            assertTrue(reply.startsWith("250"), reply);

            List<RecordingBackend.Message> got = backend.messages();
            assertEquals(2, got.size());
            assertArrayEquals(body, afterOurReceivedHeader(got.get(0).bytes()));
            assertArrayEquals(body, afterOurReceivedHeader(got.get(1).bytes()));
            assertEquals("用户@example.test", got.get(1).recipients().get(0));
            assertEquals("发件人@client.test", got.get(1).from());
            assertTrue(new String(got.get(1).bytes(), StandardCharsets.UTF_8).contains("with UTF8SMTP"));
        }
    }

    @Test
    void backendVerdictPerRecipientIsTheClientsVerdict() throws Exception {
        try (RecordingBackend backend = new RecordingBackend().refusing("nobody@example.test");
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            String refused = client.send("RCPT TO:<nobody@example.test>");
            assertTrue(refused.startsWith("550 5.1.1"), refused);
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
            assertTrue(client.send("DATA").startsWith("354"));
            client.write(BODY);
            assertTrue(client.send(".").startsWith("250"));
            List<RecordingBackend.Message> got = backend.messages();
            assertEquals(1, got.size());
            assertEquals(List.of("user@example.test"), got.get(0).recipients());
        }
    }

    @Test
    void backendSessionIsReusedAfterRsetForTheNextTransaction() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()))) {
            for (int i = 0; i < 3; i++) {
                try (SmtpClient client = new SmtpClient(gateway.internet())) {
                    client.hello();
                    for (int m = 0; m < 2; m++) {
                        assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"), BODY).startsWith("250"));
                    }
                }
            }
            assertEquals(6, backend.messages().size());
            assertTrue(backend.connections() < 6, "idle backend sessions are reused: " + backend.connections() + " connections");
        }
    }

    @Test
    void transactionAbandonedByRsetDoesNotLeakIntoTheNextOne() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<first@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<abandoned@example.test>").startsWith("250"));
            assertTrue(client.send("RSET").startsWith("250"));
            assertTrue(client.sendMessage("second@client.test", List.of("kept@example.test"), BODY).startsWith("250"));
            assertEquals(1, backend.messages().size());
            assertEquals("second@client.test", backend.messages().get(0).from());
            assertEquals(List.of("kept@example.test"), backend.messages().get(0).recipients());
            assertEquals(1, backend.connections(), "the backend session was reused");
        }
    }

    /**
     * The bytes after our Received header (with its folded lines), checking that it is the only
     * one we added; a backend's own trace headers above it are skipped.
     */
    static byte[] afterOurReceivedHeader(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("Received: from client.test (unknown [127.0.0.1])\r\n\tby mx.test.invalid (mxgate ");
        assertTrue(end >= 0, "no Received header of ours: " + text);
        do {
            end = text.indexOf("\r\n", end) + 2;
        } while (end < text.length() && (text.charAt(end) == '\t' || text.charAt(end) == ' '));
        assertTrue(!text.substring(end).startsWith("Received: from client.test"), "two Received headers added");
        return Arrays.copyOfRange(message, end, message.length);
    }

    static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
