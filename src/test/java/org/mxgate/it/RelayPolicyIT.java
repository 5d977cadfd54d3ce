package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Never an open relay: the internet listener takes mail only for its domains; the internal one relays. */
class RelayPolicyIT {

    private static final byte[] BODY = "Subject: relay\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void internetListenerRefusesForeignDomainsAndInternalListenerRelaysThem() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()))) {
            try (SmtpClient internet = new SmtpClient(gateway.internet())) {
                internet.hello();
                assertTrue(internet.send("MAIL FROM:<a@client.test>").startsWith("250"));
                String refused = internet.send("RCPT TO:<user@elsewhere.test>");
                assertTrue(refused.startsWith("554 5.7.1"), refused);
                assertTrue(refused.contains("Relay access denied"), refused);
            }
            try (SmtpClient internal = new SmtpClient(gateway.internal())) {
                internal.hello();
                String reply = internal.sendMessage("app@internal.test", List.of("user@elsewhere.test"), BODY);
                assertTrue(reply.startsWith("250"), reply);
            }
            assertEquals(1, backend.messages().size());
            assertEquals(List.of("user@elsewhere.test"), backend.messages().get(0).recipients());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<user%elsewhere.test@example.test>",
        "<elsewhere.test!user@example.test>",
        "<\"user@elsewhere.test\"@example.test>",
        "<user@[127.0.0.1]>",
        "<@example.test:user@elsewhere.test>",
        "<user@example.test.elsewhere.test>",
        "<user@elsewhere.test>"
    })
    void addressTricksNeverTurnAForeignRecipientIntoALocalOne(String path) throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            String reply = client.send("RCPT TO:" + path);
            assertTrue(reply.startsWith("554 5.7.1"), path + " -> " + reply);
            assertEquals(0, backend.mailCommands(), "a refused recipient never reaches a backend");
        }
    }
}
