package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Back pressure from real software: Postfix's smtp-sink with {@code -r MAIL} answers every MAIL
 * with a 4xx, beside a healthy backend. Every message lands on the healthy one, each once, and
 * the client sees 250 every time; after the first refusal the sink rests in its back-pressure
 * cooldown and is not asked again.
 */
@Tag("interop")
class SmtpSinkBackPressureInteropIT {

    private static final int MESSAGES = 20;

    @Test
    void everyMessageLandsOnTheHealthyBackend() throws Exception {
        assumeTrue(InteropTools.missing("smtp-sink") == null, InteropTools.missing("smtp-sink"));
        int sinkPort = InteropTools.freePort();
        List<String> sink = new ArrayList<>(List.of("smtp-sink", "-r", "MAIL", "127.0.0.1:" + sinkPort, "100"));
        if ("root".equals(System.getProperty("user.name"))) {
            sink.addAll(1, List.of("-u", "postfix"));
        }
        Process sinkProcess = new ProcessBuilder(sink).redirectErrorStream(true).start();
        try (RecordingBackend healthy = new RecordingBackend()) {
            await("smtp-sink listening").atMost(Duration.ofSeconds(10)).until(() -> InteropTools.isListening(sinkPort));
            String sender = "pressure-" + UUID.randomUUID() + "@client.test";
            try (TestGateway gateway = TestGateway.start(List.of(sinkPort, healthy.port()));
                 SmtpClient client = new SmtpClient(gateway.internet())) {
                client.hello();
                for (int i = 0; i < MESSAGES; i++) {
                    byte[] body = ("Subject: " + i + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII);
                    String reply = client.sendMessage(sender, List.of("user@example.test"), body);
                    assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend b2"), reply);
                }
                client.send("QUIT");
            }
            assertEquals(MESSAGES, healthy.messages().size(), "each message once, on the healthy backend");
            // Round robin sent the first transaction to the sink; its 4xx at MAIL moved it on and put
            // the sink in its cooldown, so no later transaction went there.
            String session = ProtocolLogFile.sessionOf(sender);
            long pushedBack = ProtocolLogFile.linesOf(session).stream()
                    .filter(l -> l.contains("\"backend\":\"b1\"") && l.contains("failed at MAIL: 4")).count();
            assertEquals(1, pushedBack);
        } finally {
            sinkProcess.destroy();
        }
    }
}
