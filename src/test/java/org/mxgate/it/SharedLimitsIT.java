package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Limits across instances that share a Redis: a client gets its connection limit once, not once
 * per instance (issue 17, acceptance 1); and Redis going away mid-test costs no message and no
 * client-visible error, and sharing resumes by itself when it is back (acceptance 4).
 */
class SharedLimitsIT {

    private static final byte[] BODY = "Subject: shared\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void thirtyConnectionsSpreadOverTwoInstancesGetTenGreetings() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RecordingBackend backend = new RecordingBackend();
             SharedGateways gateways = SharedGateways.start(2, redis, List.of(backend.port()), "",
                     "  max_connections_per_ip: 10\n", "")) {
            List<SmtpClient> clients = new ArrayList<>();
            try {
                // Opened at once, alternating: the two instances decide about the same address concurrently.
                for (int i = 0; i < 30; i++) {
                    clients.add(new SmtpClient(gateways.get(i % 2).internet(), "127.0.0.1"));
                }
                int greeted = 0;
                for (SmtpClient client : clients) {
                    String first = client.reply();
                    if (first.startsWith("220 ")) {
                        greeted++;
                    } else {
                        assertEquals("421 4.7.0 mx.test.invalid Error: too many connections from 127.0.0.1, try again"
                                + " later", first);
                        assertTrue(client.isClosedByServer());
                    }
                }
                assertEquals(10, greeted);
                assertEquals(0, SharedGateways.fallbacks(gateways.get(0)) + SharedGateways.fallbacks(gateways.get(1)),
                        "every answer came from Redis");
            } finally {
                for (SmtpClient client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void redisStoppedMidTestThenRestartedWithoutAGatewayRestart() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RecordingBackend backend = new RecordingBackend();
             SharedGateways gateways = SharedGateways.start(2, redis, List.of(backend.port()), "",
                     "  max_connections_per_ip: 10\n", "lease_time: 3s")) {
            int sent = 0;
            for (TestGateway gateway : gateways.all()) {
                sent += relay(gateway, 3);
            }
            // A session open on each instance when Redis goes.
            List<SmtpClient> before = new ArrayList<>();
            List<SmtpClient> held = new ArrayList<>();
            try {
                for (TestGateway gateway : gateways.all()) {
                    SmtpClient client = new SmtpClient(gateway.internet(), "127.0.0.1");
                    client.hello();
                    before.add(client);
                }
                redis.stop();
                // At once, before the instances have noticed: each answers within the bounded wait.
                for (TestGateway gateway : gateways.all()) {
                    sent += relay(gateway, 3);
                }
                for (SmtpClient client : before) {
                    assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"), BODY).startsWith("250 "));
                    sent++;
                }
                gateways.awaitAway();
                for (TestGateway gateway : gateways.all()) {
                    sent += relay(gateway, 3);
                }
                // Six sessions held on the first instance while Redis is away: it knows them, Redis will not.
                for (int i = 0; i < 6; i++) {
                    SmtpClient client = new SmtpClient(gateways.get(0).internet(), "127.0.0.1");
                    client.hello();
                    held.add(client);
                }
                redis.restart();
                gateways.awaitConnected();
                // Sharing resumed, with the slots the first instance holds written again into the empty Redis:
                // the second instance may add only four (10 per address, less the two before and six held).
                int greeted = 0;
                List<SmtpClient> after = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    SmtpClient client = new SmtpClient(gateways.get(1).internet(), "127.0.0.1");
                    after.add(client);
                    greeted += client.reply().startsWith("220 ") ? 1 : 0;
                }
                held.addAll(after);
                assertEquals(2, greeted, "2 + 6 held, so 2 more of 10");
            } finally {
                for (SmtpClient client : before) {
                    client.close();
                }
                for (SmtpClient client : held) {
                    client.close();
                }
            }
            assertEquals(sent, backend.messages().size(), "no message lost");
        }
    }

    @Test
    void whatComesWithTheProxyHeaderWaitsForRedisAndThenReachesTheSession() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith("""
                     hostname: mx.test.invalid
                     shutdown_grace: 1s
                     listeners:
                       - name: internal
                         listen: 127.0.0.1:0
                         policy: internal
                         proxy_protocol: { trusted: [127.0.0.1], timeout: 1s }
                     pools:
                       mailbox:
                         servers: [ { name: b1, address: 127.0.0.1:%d } ]
                     """.formatted(backend.port()) + SharedGateways.sharedState(redis, ""), java.util.Map.of("internal", """
                     accept_domains: [example.test]
                     relay: { networks: [198.18.0.0/15] }
                     route: mailbox
                     limits: { max_connections_per_ip: 10 }
                     """))) {
            await().until(() -> SharedGateways.isConnected(gateway));
            try (SmtpClient client = new SmtpClient(gateway.gateway().port("internal"))) {
                // One segment: the header, then a command sent before the greeting, read while Redis is asked.
                client.write("PROXY TCP4 198.18.0.9 127.0.0.1 40000 25\r\nEHLO client.test\r\n");
                assertTrue(client.reply().startsWith("220 "));
                assertTrue(client.reply().startsWith("250"));
                assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
                assertEquals("1", redis.command("HVALS", "mxgate:slots:internal|sessions|198.18.0.9"),
                        "the real client's slot is held in Redis");
            }
        }
    }

    @Test
    void aRateSpreadOverTwoInstancesPassesByAboutOneEventOnTheOther() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RecordingBackend backend = new RecordingBackend();
             SharedGateways gateways = SharedGateways.start(2, redis, List.of(backend.port()), "",
                     "  max_message_rate_per_ip: 5\n", "")) {
            try (SmtpClient a = new SmtpClient(gateways.get(0).internet(), "127.0.0.1")) {
                a.hello();
                for (int i = 0; i < 5; i++) {
                    assertTrue(a.send("MAIL FROM:<a@client.test>").startsWith("250"));
                    a.send("RSET");
                }
                assertTrue(a.send("MAIL FROM:<a@client.test>").startsWith("450 4.7.1"));
            }
            // The other instance learns the first one's count from Redis's answer to its own first
            // MAIL (the mirror's lag of one round trip, Counters): that MAIL may pass, the next ones
            // wait a little for the answer to be in (on a busy machine the lag can outlast a quick
            // client's next commands), and are refused, where alone it would take five.
            int[] counted = new int[1];
            try (SmtpClient b = new SmtpClient(gateways.get(1).internet(), "127.0.0.1")) {
                b.hello();
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5))
                        .until(() -> {
                            String reply = b.send("MAIL FROM:<a@client.test>");
                            if (reply.startsWith("250")) {
                                counted[0]++;
                                b.send("RSET");
                                return false;
                            }
                            assertTrue(reply.startsWith("450 4.7.1 Error: too much mail from 127.0.0.1"), reply);
                            return true;
                        });
            }
            int accepted = counted[0];
            assertTrue(accepted <= 2, "accepted on the second instance: " + accepted + " (5 alone)");
        }
    }

    @Test
    void aSlowRedisHoldsAClientNoLongerThanTheTimeout() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RecordingBackend backend = new RecordingBackend();
             SharedGateways gateways = SharedGateways.start(1, redis, List.of(backend.port()), "",
                     "  max_connections_per_ip: 10\n", "timeout: 200ms")) {
            TestGateway gateway = gateways.get(0);
            // Redis answers nobody for 1.5 s: slow, not gone (the connection stays up).
            redis.command("CLIENT", "PAUSE", "1500", "ALL");
            long started = System.nanoTime();
            try (SmtpClient client = new SmtpClient(gateway.internet(), "127.0.0.1")) {
                client.hello();
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(millis < 1000, "greeted after " + millis + " ms, while Redis was paused for 1500");
                assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"), BODY).startsWith("250 2.0.0"));
            }
            assertEquals(1.0, SharedGateways.fallbacks(gateway), "the slot was decided here, and counted as such");
        }
    }

    @Test
    void withRedisNeverThereTheInstanceStartsCountsAloneAndSaysSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        int nobody = InteropTools.freePort();
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "  max_connections_per_ip: 10\n",
                     "shutdown_grace: 2s\n" + AdminHttp.adminBlock(dir) + "shared_state: { redis: \"redis://127.0.0.1:"
                             + nobody + "\" }\n")) {
            List<SmtpClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) {
                    clients.add(new SmtpClient(gateway.internet(), "127.0.0.1"));
                }
                int greeted = 0;
                for (SmtpClient client : clients) {
                    greeted += client.reply().startsWith("220 ") ? 1 : 0;
                }
                assertEquals(10, greeted, "the limit holds on this instance's own counts");
            } finally {
                for (SmtpClient client : clients) {
                    client.close();
                }
            }
            assertEquals(12.0, SharedGateways.fallbacks(gateway));
            assertEquals(0.0, gateway.gateway().metrics().registry().get("mxgate.shared.state.connected").gauge().value());
            String status = new AdminHttp(gateway.gateway().adminPort()).get("/api/status").body();
            assertTrue(status.contains("\"notice\":\"shared state: Redis away since "), status);
            assertTrue(status.contains(" UTC, limits per instance\""), status);
        }
    }

    /** Messages relayed through the instance, each in a session of its own; every one must get its 250. */
    private static int relay(TestGateway gateway, int messages) throws Exception {
        for (int i = 0; i < messages; i++) {
            try (SmtpClient client = new SmtpClient(gateway.internet(), "127.0.0.1")) {
                client.hello();
                String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
                assertTrue(reply.startsWith("250 2.0.0"), reply);
                client.send("QUIT");
            }
        }
        return messages;
    }
}
