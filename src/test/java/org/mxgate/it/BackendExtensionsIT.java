package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxgate.backend.Backend;

/**
 * No silent downgrade: a transaction that needs SMTPUTF8 (RFC 6531) or 8BITMIME (RFC 6152)
 * goes only to a backend that offers it. One that does not is passed over without a mark
 * against its health, and when no backend offers it the client gets 553 5.6.7 or 554 5.6.3.
 */
class BackendExtensionsIT {

    private static final String HEALTH = "    health_check: { interval: 1h, probe: connect, rise: 1, fall: 1 }\n";
    private static final byte[] EIGHT_BIT = "Subject: Gr\u00fc\u00dfe\r\n\r\nSch\u00f6ne Gr\u00fc\u00dfe\r\n"
            .getBytes(StandardCharsets.UTF_8);

    /** MAIL with BODY=8BITMIME, one recipient; the reply to RCPT, or to the final dot when RCPT passed. */
    private static String sendEightBit(SmtpClient client) throws Exception {
        assertTrue(client.send("MAIL FROM:<a@client.test> BODY=8BITMIME").startsWith("250"));
        String rcpt = client.send("RCPT TO:<user@example.test>");
        if (!rcpt.startsWith("250")) {
            client.send("RSET");
            return rcpt;
        }
        assertTrue(client.send("DATA").startsWith("354"));
        client.write(EIGHT_BIT);
        client.write(".\r\n");
        return client.reply();
    }

    private static void assertUntouched(TestGateway gateway, int index) {
        Backend backend = gateway.gateway().pool("mailbox").backends().get(index);
        assertTrue(backend.isUp(), backend + " is down: " + backend.lastFailure());
        assertNull(backend.lastFailure(), "lacking an extension is no failure");
    }

    @Test
    void utf8TransactionGoesToTheBackendThatOffersSmtputf8() throws Exception {
        try (ScriptedBackend sevenBit = new ScriptedBackend(ScriptedBackend.Script.SEVEN_BIT_ONLY);
             RecordingBackend modern = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(sevenBit.port(), modern.port()), HEALTH, "");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            for (int i = 0; i < 2; i++) {
                String reply = client.sendMessage("j\u00f6rg@client.test", List.of("user@example.test"),
                        "Subject: utf8\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend b2"), reply);
            }
            assertEquals(List.of(), sevenBit.mailCommands(), "no SMTPUTF8 transaction to a backend without it");
            assertEquals(2, modern.messages().size());
            assertUntouched(gateway, 0);
            // An ASCII message may still go to the older backend.
            for (int i = 0; i < 2; i++) {
                assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"),
                        "Subject: ascii\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)).startsWith("250 2.0.0"));
            }
            assertEquals(1, sevenBit.delivered(), "round robin gives one of the two ASCII messages to b1");
        }
    }

    @Test
    void eightBitTransactionGoesToTheBackendThatOffers8bitmime() throws Exception {
        try (ScriptedBackend sevenBit = new ScriptedBackend(ScriptedBackend.Script.SEVEN_BIT_ONLY);
             RecordingBackend modern = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(sevenBit.port(), modern.port()), HEALTH, "");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            for (int i = 0; i < 2; i++) {
                String reply = sendEightBit(client);
                assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend b2"), reply);
            }
            assertEquals(List.of(), sevenBit.mailCommands(), "no 8-bit data to a backend without 8BITMIME");
            assertEquals(2, modern.messages().size());
            assertUntouched(gateway, 0);
        }
    }

    @Test
    void withoutABackendOfferingSmtputf8TheClientGets553() throws Exception {
        try (ScriptedBackend sevenBit = new ScriptedBackend(ScriptedBackend.Script.SEVEN_BIT_ONLY);
             TestGateway gateway = TestGateway.start(List.of(sevenBit.port()), HEALTH, "");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<j\u00f6rg@client.test> SMTPUTF8").startsWith("250"));
            String rcpt = client.send("RCPT TO:<user@example.test>");
            assertTrue(rcpt.startsWith("553 5.6.7"), rcpt);
            assertEquals(List.of(), sevenBit.mailCommands());
            assertUntouched(gateway, 0);
            assertTrue(client.send("RSET").startsWith("250"), "the session goes on");
        }
    }

    @Test
    void withoutABackendOffering8bitmimeTheClientGets554() throws Exception {
        try (ScriptedBackend sevenBit = new ScriptedBackend(ScriptedBackend.Script.SEVEN_BIT_ONLY);
             TestGateway gateway = TestGateway.start(List.of(sevenBit.port()), HEALTH, "");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = sendEightBit(client);
            assertTrue(reply.startsWith("554 5.6.3"), reply);
            assertEquals(List.of(), sevenBit.mailCommands());
            assertUntouched(gateway, 0);
        }
    }
}
