package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.mxgate.mail.Refusal;
import org.mxgate.metrics.GatewayMetrics;
import org.mxgate.metrics.ListenerMeters;
import org.mxgate.metrics.TrafficHistory;

/**
 * Issue 16, acceptance 3: after mail through a gateway with two backends, {@code /metrics}'s text
 * parses as Prometheus text with a real parser, and the per-backend relay counter equals the
 * messages each backend received. Also: the traffic history agrees with the backends, and no
 * label carries client data.
 */
class MetricsIT {

    private static final int MESSAGES = 12;
    private static final int CLIENTS = 3;
    private static final byte[] BODY = "Subject: metrics\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void relayCountersEqualWhatEachBackendReceived() throws Exception {
        String missing = PrometheusText.missing();
        if (missing != null) {
            System.out.println("MetricsIT skipped: " + missing);
        }
        assumeTrue(missing == null, missing);
        try (RecordingBackend mx1 = new RecordingBackend();
             RecordingBackend mx2 = new RecordingBackend();
             TestGateway gateway = TestGateway.withMailboxPool("""
                     balance: round_robin
                     servers:
                       - { name: mx1, address: 127.0.0.1:%d }
                       - { name: mx2, address: 127.0.0.1:%d }
                     """.formatted(mx1.port(), mx2.port()))) {
            int port = gateway.gateway().port("internet");
            for (int c = 0; c < CLIENTS; c++) {
                try (SmtpClient client = new SmtpClient(port)) {
                    client.hello();
                    for (int i = 0; i < MESSAGES / CLIENTS; i++) {
                        String reply = client.sendMessage("sender@client.test", List.of("user@example.test"), BODY);
                        assertTrue(reply.startsWith("250 2.0.0"), reply);
                    }
                }
            }
            try (SmtpClient client = new SmtpClient(port)) {
                client.hello();
                client.send("MAIL FROM:<sender@client.test>");
                String denied = client.send("RCPT TO:<victim@foreign.test>");
                assertTrue(denied.startsWith("554 5.7.1"), denied);
                client.send("QUIT");
            }

            GatewayMetrics metrics = gateway.gateway().metrics();
            String text = metrics.scrape();
            List<PrometheusText.Sample> samples = PrometheusText.parse(text);

            int toMx1 = mx1.messages().size();
            int toMx2 = mx2.messages().size();
            assertEquals(MESSAGES, toMx1 + toMx2);
            assertTrue(toMx1 > 0 && toMx2 > 0, "round robin uses both: " + toMx1 + " and " + toMx2);
            assertEquals(toMx1, delivered(samples, "mx1"));
            assertEquals(toMx2, delivered(samples, "mx2"));
            for (String outcome : List.of("refused", "deferred", "pressure", "failed")) {
                assertEquals(0, PrometheusText.value(samples, "mxgate_relay_attempts_total",
                        Map.of("pool", "mailbox", "backend", "mx1", "outcome", outcome)), outcome);
            }
            assertEquals(toMx1, PrometheusText.value(samples, "mxgate_relay_duration_seconds_count",
                    Map.of("pool", "mailbox", "backend", "mx1")), "each final dot timed");

            Map<String, String> internet = Map.of("listener", "internet");
            assertEquals(MESSAGES, PrometheusText.value(samples, "mxgate_messages_accepted_total", internet));
            assertEquals(1, PrometheusText.value(samples, "mxgate_messages_refused_total",
                    Map.of("listener", "internet", "reason", "relay_denied")));
            assertEquals(1, PrometheusText.find(samples, "mxgate_messages_refused_total", internet).stream()
                    .mapToDouble(PrometheusText.Sample::value).sum(), "the one refusal, under one reason");
            assertEquals(CLIENTS + 1, PrometheusText.value(samples, "mxgate_sessions_total", internet));
            assertEquals(MESSAGES + 1, PrometheusText.value(samples, "mxgate_commands_total",
                    Map.of("listener", "internet", "verb", "mail")));
            assertEquals(1, PrometheusText.value(samples, "mxgate_backend_state",
                    Map.of("pool", "mailbox", "backend", "mx2", "state", "up")));
            assertEquals(0, PrometheusText.value(samples, "mxgate_backend_state",
                    Map.of("pool", "mailbox", "backend", "mx2", "state", "down")));
            assertEquals(0, PrometheusText.value(samples, "mxgate_backend_transactions",
                    Map.of("pool", "mailbox", "backend", "mx1")), "nothing in flight once every client got its reply");
            assertEquals(0, PrometheusText.value(samples, "mxgate_spool_bytes", Map.of("store", "memory")),
                    "every kept body released");
            assertEquals("counter", PrometheusText.find(samples, "mxgate_relay_attempts_total", Map.of()).get(0).type());
            assertEquals("histogram", PrometheusText.find(samples, "mxgate_session_duration_seconds_bucket", Map.of())
                    .get(0).type());

            assertLabelsAreBounded(samples);
            assertFalse(text.contains("127.0.0.1") || text.contains("client.test") || text.contains("foreign.test"),
                    "no client data in the metrics");

            TrafficHistory history = metrics.history();
            assertEquals(toMx1, LongStream.of(history.backendPerMinute("mailbox", "mx1")).sum());
            assertEquals(toMx2, LongStream.of(history.backendPerMinute("mailbox", "mx2")).sum());
            assertEquals(MESSAGES, history.listenerAcceptedLastHour("internet"));
            assertEquals(1L, history.listenerRefusedLastHour("internet").get("relay_denied"));
        }
    }

    /**
     * The same over the wire: {@code GET /metrics} on the admin listener, parsed by Prometheus's
     * parser, counts on each backend what it received.
     */
    @Test
    void slashMetricsOverHttpCountsWhatEachBackendReceived(@TempDir Path dir) throws Exception {
        String missing = PrometheusText.missing();
        assumeTrue(missing == null, missing);
        try (RecordingBackend b1 = new RecordingBackend();
             RecordingBackend b2 = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(b1.port(), b2.port()), "", "",
                     "shutdown_grace: 2s\n" + AdminHttp.adminBlock(dir))) {
            send(gateway, 8, "250 2.0.0");
            AdminHttp.Answer answer = new AdminHttp(gateway.gateway().adminPort()).get("/metrics");
            assertEquals(200, answer.status());
            assertEquals(GatewayMetrics.CONTENT_TYPE, answer.header("Content-Type"));
            List<PrometheusText.Sample> samples = PrometheusText.parse(answer.body());
            assertEquals(8, b1.messages().size() + b2.messages().size());
            assertEquals(b1.messages().size(), delivered(samples, "b1"));
            assertEquals(b2.messages().size(), delivered(samples, "b2"));
        }
    }

    /** Back pressure, a refusal and a backend that is not there, each counted on its backend as what it was. */
    @Test
    void attemptsThatDidNotDeliverAreCountedByHowTheyEnded() throws Exception {
        String missing = PrometheusText.missing();
        assumeTrue(missing == null, missing);
        try (RecordingBackend pressured = new RecordingBackend().underPressure();
             RecordingBackend good = new RecordingBackend();
             TestGateway gateway = TestGateway.withMailboxPool("""
                     balance: round_robin
                     servers:
                       - { name: pressured, address: 127.0.0.1:%d }
                       - { name: good, address: 127.0.0.1:%d }
                     """.formatted(pressured.port(), good.port()))) {
            send(gateway, 3, "250 2.0.0");
            List<PrometheusText.Sample> samples = PrometheusText.parse(gateway.gateway().metrics().scrape());
            assertTrue(pressured.mailCommands() > 0, "round robin tried the pressured backend");
            assertEquals(pressured.mailCommands(), attempts(samples, "pressured", "pressure"));
            assertEquals(0, attempts(samples, "pressured", "delivered"));
            assertEquals(3, attempts(samples, "good", "delivered"));
            assertEquals(3, good.messages().size());
        }
        // No parked sessions: SubEthaSMTP keeps the sender after refusing a message at the dot.
        try (RecordingBackend spam = new RecordingBackend().rejectingData();
             TestGateway gateway = TestGateway.withMailboxPool("""
                     balance: round_robin
                     idle_connections: 0
                     servers:
                       - { name: dead, address: 127.0.0.1:%d }
                       - { name: spam, address: 127.0.0.1:%d }
                     """.formatted(InteropTools.freePort(), spam.port()))) {
            send(gateway, 2, "554 5.7.1");
            List<PrometheusText.Sample> samples = PrometheusText.parse(gateway.gateway().metrics().scrape());
            assertEquals(2, attempts(samples, "spam", "refused"), "each message's last word");
            assertTrue(attempts(samples, "dead", "failed") >= 1, "round robin tried the backend that is not there");
            assertEquals(2, PrometheusText.value(samples, "mxgate_messages_refused_total",
                    Map.of("listener", "internet", "reason", "backend_refusal")));
        }
    }

    private static void send(TestGateway gateway, int messages, String expected) throws Exception {
        try (SmtpClient client = new SmtpClient(gateway.gateway().port("internet"))) {
            client.hello();
            for (int i = 0; i < messages; i++) {
                String reply = client.sendMessage("sender@client.test", List.of("user@example.test"), BODY);
                assertTrue(reply.startsWith(expected), reply);
            }
        }
    }

    private static double attempts(List<PrometheusText.Sample> samples, String backend, String outcome) {
        return PrometheusText.value(samples, "mxgate_relay_attempts_total",
                Map.of("pool", "mailbox", "backend", backend, "outcome", outcome));
    }

    private static double delivered(List<PrometheusText.Sample> samples, String backend) {
        return PrometheusText.value(samples, "mxgate_relay_attempts_total",
                Map.of("pool", "mailbox", "backend", backend, "outcome", "delivered"));
    }

    /** Every label value is a config name, a fixed enum value or a histogram bucket: never client data. */
    private static void assertLabelsAreBounded(List<PrometheusText.Sample> samples) {
        Set<String> allowed = new java.util.HashSet<>(Set.of("internet", "mailbox", "mx1", "mx2", "memory", "disk",
                "delivered", "refused", "deferred", "pressure", "failed"));
        allowed.addAll(GatewayMetrics.BACKEND_STATES);
        allowed.addAll(ListenerMeters.LIMITS);
        for (Refusal reason : Refusal.values()) {
            allowed.add(reason.label());
        }
        for (String verb : List.of("helo", "ehlo", "mail", "rcpt", "data", "rset", "noop", "quit", "vrfy", "expn",
                "help", "starttls", "auth", "bdat", "unknown")) {
            allowed.add(verb);
        }
        for (PrometheusText.Sample sample : samples) {
            for (Map.Entry<String, String> label : sample.labels().entrySet()) {
                if (label.getKey().equals("le")) {
                    continue;
                }
                assertTrue(allowed.contains(label.getValue()), sample.name() + " has label " + label + "; allowed: "
                        + allowed.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
    }
}
