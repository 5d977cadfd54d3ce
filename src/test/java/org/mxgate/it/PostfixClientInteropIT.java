package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real Postfix as a client: a private instance whose relayhost is mxgate's internal listener
 * relays 200 messages (with PIPELINING and connection reuse, as Postfix does by default);
 * every one reaches the backend exactly once.
 */
@Tag("interop")
class PostfixClientInteropIT {

    private static final int MESSAGES = 200;

    @Test
    void postfixRelaysTwoHundredMessagesThroughTheGatewayAndEachArrivesOnce() throws Exception {
        assumeTrue(InteropTools.postfixMissing() == null, InteropTools.postfixMissing());
        assumeTrue(InteropTools.missing("smtp-source") == null, InteropTools.missing("smtp-source"));
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             PostfixInstance postfix = PostfixInstance.start("client",
                     Map.of("relayhost", "[127.0.0.1]:" + gateway.internal()))) {
            // -N numbers each recipient, so every message is told apart at the backend.
            InteropTools.Output source = InteropTools.run(Duration.ofSeconds(120), "smtp-source",
                    "-m", Integer.toString(MESSAGES), "-s", "10", "-N", "-l", "4096",
                    "-f", "sender@interop.test", "-t", "user@elsewhere.test", "127.0.0.1:" + postfix.port());
            assertEquals(0, source.exitCode(), source.text());

            // Postfix logs status=sent once the gateway said 250, and the gateway says 250 only after the
            // backend has the message: when Postfix has logged every one, all deliveries are over, and
            // a second copy of any message would already be at the backend.
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertTrue(postfix.logLines("status=sent") >= MESSAGES,
                    () -> "Postfix sent " + postfix.logLines("status=sent") + " of " + MESSAGES + ", the backend has "
                            + backend.messages().size() + "\n" + postfix.maillog()));
            List<RecordingBackend.Message> messages = backend.messages();
            assertEquals(MESSAGES, messages.size(), "each message exactly once");
            Set<String> recipients = messages.stream().flatMap(m -> m.recipients().stream()).collect(Collectors.toSet());
            assertEquals(MESSAGES, recipients.size(), "no message twice, none missing");
            assertEquals(MESSAGES, postfix.logLines("status=sent"), "Postfix saw a 250 for each message");
            assertEquals(0, postfix.logLines("status=deferred"), postfix.maillog());
        }
    }
}
