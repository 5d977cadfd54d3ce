package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 250 means a backend has it: a backend that pushes back or drops the connection hands the
 * transaction to the next one, and when none can take it the client gets a 4xx, never a 250.
 */
class RelayFailoverIT {

    private static final byte[] BODY = "Subject: failover\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void backPressureAtMailFromMovesTheMessageToTheHealthyBackend() throws Exception {
        try (RecordingBackend pressured = new RecordingBackend().underPressure();
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(pressured.port(), healthy.port()))) {
            for (int i = 0; i < 4; i++) {
                try (SmtpClient client = new SmtpClient(gateway.internet())) {
                    client.hello();
                    String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
                    assertTrue(reply.startsWith("250 2.0.0"), reply);
                }
            }
            assertEquals(4, healthy.messages().size(), "each message delivered exactly once");
            assertEquals(0, pressured.messages().size());
            assertTrue(pressured.mailCommands() >= 1, "round robin must have tried the pressured backend");
        }
    }

    @Test
    void whenEveryBackendPushesBackTheClientGetsA4xxAndNobodyHasTheMessage() throws Exception {
        try (RecordingBackend first = new RecordingBackend().underPressure();
             RecordingBackend second = new RecordingBackend().underPressure();
             TestGateway gateway = TestGateway.start(List.of(first.port(), second.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            String rcpt = client.send("RCPT TO:<user@example.test>");
            assertTrue(rcpt.startsWith("451 4.4.1"), rcpt);
            String data = client.send("DATA");
            assertTrue(data.startsWith("554 5.5.1") || data.startsWith("503"), data);
            assertEquals(0, first.messages().size() + second.messages().size());
            assertEquals(1, first.mailCommands());
            assertEquals(1, second.mailCommands());
        }
    }

    @Test
    void backendRefusingTheDataCommandGivesItsRefusalAfterTheDot() throws Exception {
        // The client's 354 does not wait for the backend's; a 5xx to DATA is answered after the dot.
        try (ScriptedBackend refusing = new ScriptedBackend(ScriptedBackend.Script.REFUSE_DATA);
             TestGateway gateway = TestGateway.start(List.of(refusing.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
            String data = client.send("DATA");
            assertTrue(data.startsWith("354"), data);
            client.write("Subject: refused\r\n\r\nx\r\n.\r\n");
            String reply = client.reply();
            assertTrue(reply.startsWith("554 5.6.0"), reply);
            assertEquals(1, refusing.dataStarted());
            assertTrue(client.send("NOOP").startsWith("250"), "the session goes on");
        }
    }

    @Test
    void backendTempfailingTheDataCommandHandsTheMessageToTheNextBackend() throws Exception {
        try (ScriptedBackend tempfailing = new ScriptedBackend(ScriptedBackend.Script.TEMPFAIL_DATA);
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(tempfailing.port(), healthy.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            byte[] body = "Subject: moved\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), body);
            assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend b2"), reply);
            assertEquals(1, tempfailing.dataStarted());
            assertEquals(1, healthy.messages().size());
            assertArrayEquals(body, RelayDeliveryIT.afterOurReceivedHeader(healthy.messages().get(0).bytes()));
        }
    }

    @Test
    void parkedSessionTheBackendDroppedIsReplacedWithoutTheClientNoticing() throws Exception {
        // The only backend: a lost parked session must not count as that backend failing.
        try (ScriptedBackend dropping = new ScriptedBackend(ScriptedBackend.Script.DROP_WHEN_REUSED);
             TestGateway gateway = TestGateway.start(List.of(dropping.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            for (int i = 0; i < 5; i++) {
                String reply = client.sendMessage("a@client.test", List.of("user@example.test"),
                        ("Subject: " + i + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII));
                assertTrue(reply.startsWith("250 2.0.0"), "message " + i + ": " + reply);
            }
            assertEquals(5, dropping.delivered());
        }
    }

    @Test
    void connectionDroppedInTheMiddleOfDataGoesToTheOtherBackend() throws Exception {
        try (ScriptedBackend dropping = new ScriptedBackend(ScriptedBackend.Script.DROP_IN_DATA);
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(dropping.port(), healthy.port()))) {
            byte[] big = ("Subject: big\r\n\r\n" + "x".repeat(70) + "\r\n").repeat(3000).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 2; i++) {
                try (SmtpClient client = new SmtpClient(gateway.internet())) {
                    client.hello();
                    String reply = client.sendMessage("a@client.test", List.of("user@example.test"), big);
                    assertTrue(reply.startsWith("250 2.0.0"), reply);
                }
            }
            assertEquals(1, dropping.dataStarted(), "round robin sends one of the two messages to the dropping backend first");
            assertEquals(2, healthy.messages().size());
            for (RecordingBackend.Message m : healthy.messages()) {
                assertEquals(big.length, RelayDeliveryIT.afterOurReceivedHeader(m.bytes()).length);
            }
        }
    }

    @Test
    void spooledBodyOverTheMemoryLimitIsReplayedByteForByte() throws Exception {
        try (ScriptedBackend dropping = new ScriptedBackend(ScriptedBackend.Script.DROP_IN_DATA);
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(dropping.port(), healthy.port()))) {
            StringBuilder text = new StringBuilder("Subject: spooled\r\n\r\n");
            for (int i = 0; text.length() < 3 * 1024 * 1024; i++) {
                text.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" of a large message\r\n");
            }
            byte[] big = text.toString().getBytes(StandardCharsets.US_ASCII);
            try (SmtpClient client = new SmtpClient(gateway.internet())) {
                client.hello();
                String reply = client.sendMessage("a@client.test", List.of("user@example.test"), big);
                assertTrue(reply.startsWith("250 2.0.0"), reply);
            }
            assertEquals(1, dropping.dataStarted());
            assertEquals(1, healthy.messages().size());
            org.junit.jupiter.api.Assertions.assertArrayEquals(RelayDeliveryIT.sha256(big),
                    RelayDeliveryIT.sha256(RelayDeliveryIT.afterOurReceivedHeader(healthy.messages().get(0).bytes())));
        }
    }

    @Test
    void connectionDroppedInDataWithNoOtherBackendGivesA4xx() throws Exception {
        try (ScriptedBackend dropping = new ScriptedBackend(ScriptedBackend.Script.DROP_IN_DATA);
             TestGateway gateway = TestGateway.start(List.of(dropping.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
            assertTrue(reply.startsWith("451 4.4.1"), reply);
            assertEquals(1, dropping.dataStarted());
            assertTrue(client.send("NOOP").startsWith("250"), "the client session survives");
        }
    }

    @Test
    void unreachableBackendIsSkipped() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(closedPort, healthy.port()))) {
            for (int i = 0; i < 3; i++) {
                try (SmtpClient client = new SmtpClient(gateway.internet())) {
                    client.hello();
                    assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"), BODY).startsWith("250"));
                }
            }
            assertEquals(3, healthy.messages().size());
            // Counted from the choice, the attempts on the closed port are given back: least_connections
            // and max_transactions read the count.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> gateway.gateway().pool("mailbox").backends()
                    .forEach(b -> assertEquals(0, b.transactions(), b.name() + " transactions")));
        }
    }

    @Test
    void temporaryFailureAfterTheDotReplaysOnTheOtherBackend() throws Exception {
        try (RecordingBackend refusing = new RecordingBackend().tempfailingData();
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(refusing.port(), healthy.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.sendMessage("a@client.test", List.of("one@example.test", "two@example.test"), BODY);
            assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend b2"), reply);
            assertEquals(0, refusing.messages().size());
            assertEquals(1, healthy.messages().size());
            assertEquals(List.of("one@example.test", "two@example.test"), healthy.messages().get(0).recipients());
        }
    }

    @Test
    void recipientRefusedOnReplayMovesOnWithoutMarkingTheBackendDown() throws Exception {
        // b1 tempfails the dot; the replay on b2 meets a 550 for the recipient the client was told
        // 250 for. That says nothing about b2's health: with fall 1 one health failure would take it down.
        try (RecordingBackend tempfailing = new RecordingBackend().tempfailingData();
             RecordingBackend refusing = new RecordingBackend().refusing("user@example.test");
             TestGateway gateway = TestGateway.start(List.of(tempfailing.port(), refusing.port()),
                     "    health_check: { interval: 1h, probe: connect, rise: 1, fall: 1 }\n", "");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
            assertTrue(reply.startsWith("451 4.4.1"), reply);
            assertEquals(1, refusing.mailCommands(), "the replay reached b2");
            org.mxgate.backend.Backend b2 = gateway.gateway().pool("mailbox").backends().get(1);
            assertTrue(b2.isUp(), "b2 is down: " + b2.lastFailure());
            assertEquals(null, b2.lastFailure(), "a recipient's refusal is no failure of the backend");
        }
    }

    @Test
    void permanentFailureAfterTheDotIsPassedOnAndNotReplayed() throws Exception {
        try (RecordingBackend refusing = new RecordingBackend().rejectingData();
             RecordingBackend other = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(refusing.port(), other.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
            assertTrue(reply.startsWith("554 5.7.1"), reply);
            assertEquals(0, other.mailCommands(), "a 5xx is final: no replay");
        }
    }

    @Test
    void connectionLostAfterTheDotIsReplayedSoNothingIsLost() throws Exception {
        try (ScriptedBackend silent = new ScriptedBackend(ScriptedBackend.Script.DROP_AFTER_DOT);
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(silent.port(), healthy.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
            assertTrue(reply.startsWith("250 2.0.0"), reply);
            assertEquals(1, silent.dataStarted());
            assertEquals(1, healthy.messages().size());
        }
    }

    @Test
    void greeting421MovesToTheNextBackend() throws Exception {
        try (ScriptedBackend closed = new ScriptedBackend(ScriptedBackend.Script.GREET_421);
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(closed.port(), healthy.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"), BODY).startsWith("250"));
            assertEquals(1, closed.dataStarted());
            assertEquals(1, healthy.messages().size());
        }
    }

    @Test
    void backendTooSlowAtMailTimesOutAndTheNextOneTakesIt() throws Exception {
        try (RecordingBackend slow = new RecordingBackend().slowAtMail(3000);
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(slow.port(), healthy.port()), "    command_timeout: 500ms\n", "");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            long start = System.nanoTime();
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
            assertTrue(reply.startsWith("250"), reply);
            assertTrue(System.nanoTime() - start < 2_500_000_000L, "the timeout, not the slow backend, decided");
            assertEquals(1, healthy.messages().size());
            assertEquals(0, slow.messages().size());
        }
    }

    @Test
    void timeBudgetBoundsTheWholeAttemptLoop() throws Exception {
        try (RecordingBackend slow1 = new RecordingBackend().slowAtMail(3000);
             RecordingBackend slow2 = new RecordingBackend().slowAtMail(3000);
             TestGateway gateway = TestGateway.start(List.of(slow1.port(), slow2.port()),
                     "    command_timeout: 2s\n    time_budget: 1s\n", "");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            long start = System.nanoTime();
            String reply = client.send("RCPT TO:<user@example.test>");
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(reply.startsWith("451 4.4.1"), reply);
            assertTrue(elapsedMs < 1900, "budget of 1s exceeded: " + elapsedMs + "ms");
        }
    }
}
