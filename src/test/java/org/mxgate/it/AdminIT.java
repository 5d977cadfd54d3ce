package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxgate.config.ConfigException;

/**
 * The admin listener over real sockets. Acceptance 1: a stopped backend is down on the page and
 * in /api/backends within the probe interval, and /healthz is 503 exactly while its pool has no
 * usable backend. Acceptance 2: drain over HTTP with the token lets the transaction in flight
 * finish and sends the rest elsewhere; without the token it is 401, and logged. /healthz is 503
 * as soon as the gateway starts to stop, while sessions still drain. The rules at load, the
 * read-only API without a token file, the Host check and the connection limit.
 */
class AdminIT {

    private static final long INTERVAL = 300;
    private static final byte[] SMALL = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    /** The state of backend {@code name} in /api/backends' JSON. */
    static String state(String json, String name) {
        Matcher m = Pattern.compile("\"name\":\"" + Pattern.quote(name) + "\",\"address\":\"[^\"]*\",\"weight\":\\d+,"
                + "\"state\":\"(\\w+)\",\"since\":\"[^\"]+\",\"in_flight\":(\\d+)").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1) + "/" + m.group(2);
    }

    @Test
    void aStoppedBackendIsDownOnThePageAndInTheApiAndHealthzFollowsItsPool() throws Exception {
        RecordingBackend b1 = new RecordingBackend();
        RecordingBackend b2 = new RecordingBackend();
        int port1 = b1.port();
        String health = "    slow_start: 0s\n    health_check: { interval: " + INTERVAL + "ms, timeout: 1s, rise: 1, fall: 1 }\n";
        try (TestGateway gateway = TestGateway.start(List.of(port1, b2.port()), health, "",
                "shutdown_grace: 2s\n" + AdminHttp.adminBlock(dir))) {
            AdminHttp admin = new AdminHttp(gateway.gateway().adminPort());
            await("both probed").atMost(Duration.ofSeconds(5))
                    .until(() -> gateway.gateway().pool("mailbox").backends().stream().allMatch(b -> b.lastProbe() != null));
            AdminHttp.Answer ok = admin.get("/healthz");
            assertEquals(200, ok.status());
            assertEquals("ok\n", ok.body());
            assertEquals("up/0", state(admin.get("/api/backends").body(), "b1"));

            b1.close();
            long stopped = System.nanoTime();
            await("b1 down in /api/backends").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> state(admin.get("/api/backends").body(), "b1").equals("down/0"));
            long tookMillis = (System.nanoTime() - stopped) / 1_000_000;
            assertTrue(tookMillis <= INTERVAL * 3, "down after " + tookMillis + " ms; the probe interval is " + INTERVAL);
            String page = admin.get("/").body();
            assertTrue(page.contains("<tr data-backend=\"b1\" data-state=\"down\">"), page);
            assertTrue(page.contains("<tr data-backend=\"b2\" data-state=\"up\">"), page);
            assertTrue(page.contains("probe: b1: cannot connect"), "the failed probe's reason is on the page");
            assertEquals(200, admin.get("/healthz").status(), "b2 still takes the pool's mail");

            b2.close();
            await("healthz 503").atMost(Duration.ofSeconds(5)).until(() -> admin.get("/healthz").status() == 503);
            assertEquals("pool mailbox has no usable backend (b1 down, b2 down)\n", admin.get("/healthz").body());

            b1 = new RecordingBackend(port1, null);
            await("healthz 200 once b1 is back").atMost(Duration.ofSeconds(5))
                    .until(() -> admin.get("/healthz").status() == 200);
            assertEquals("up/0", state(admin.get("/api/backends").body(), "b1"));
        } finally {
            b1.close();
            b2.close();
        }
    }

    @Test
    void drainOverHttpFinishesTheTransactionInFlightAndNeedsTheToken() throws Exception {
        try (RecordingBackend b1 = new RecordingBackend();
             RecordingBackend b2 = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(b1.port(), b2.port()), "", "",
                     "shutdown_grace: 2s\n" + AdminHttp.adminBlock(dir));
             SmtpClient client = new SmtpClient(gateway.internet());
             CapturedLog log = new CapturedLog(Class.forName("org.mxgate.admin.AdminApi"), Level.INFO)) {
            AdminHttp admin = new AdminHttp(gateway.gateway().adminPort());
            client.hello();
            assertTrue(client.send("MAIL FROM:<x@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
            assertTrue(client.send("DATA").startsWith("354"));
            client.write("Subject: in flight\r\n\r\n" + "y".repeat(500) + "\r\n");
            String busy = gateway.gateway().pool("mailbox").backends().stream().filter(b -> b.transactions() == 1)
                    .findFirst().orElseThrow().name();
            String other = busy.equals("b1") ? "b2" : "b1";
            String drain = "/api/backends/mailbox/" + busy + "/drain";

            AdminHttp.Answer none = admin.post(drain, null);
            assertEquals(401, none.status());
            assertEquals("Bearer realm=\"mxgate\"", none.header("WWW-Authenticate"));
            AdminHttp.Answer wrong = admin.post(drain, "not-the-token-0123456789");
            assertEquals(401, wrong.status());
            assertEquals("Bearer realm=\"mxgate\", error=\"invalid_token\"", wrong.header("WWW-Authenticate"));
            assertEquals("up/1", state(admin.get("/api/backends").body(), busy), "a refused drain changes nothing");
            assertTrue(log.lines().stream().anyMatch(l -> l.matches("admin: refused POST " + drain
                    + " from 127\\.0\\.0\\.1:\\d+: no token")), String.join("\n", log.lines()));
            assertTrue(log.contains("admin: refused POST " + drain + " from 127.0.0.1:"));
            assertTrue(log.lines().stream().anyMatch(l -> l.endsWith(": wrong token")));

            AdminHttp.Answer drained = admin.post(drain, AdminHttp.TOKEN);
            assertEquals(200, drained.status(), drained.body());
            assertTrue(drained.body().contains("\"pool\":\"mailbox\",\"name\":\"" + busy + "\""), drained.body());
            assertEquals("draining/1", state(drained.body(), busy), "drained, with its transaction still in flight");
            assertTrue(log.contains("admin: drain backend " + busy + " of pool mailbox, from 127.0.0.1:"));

            client.write("the rest of it\r\n.\r\n");
            String reply = client.reply();
            assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend " + busy), reply);
            for (int i = 0; i < 4; i++) {
                String next = client.sendMessage("x@client.test", List.of("user@example.test"), SMALL);
                assertTrue(next.contains("(backend " + other), next);
            }
            RecordingBackend busyBackend = busy.equals("b1") ? b1 : b2;
            assertEquals(1, busyBackend.messages().size());
            assertEquals("draining/0", state(admin.get("/api/backends").body(), busy));
            assertTrue(admin.get("/").body().contains("Last change: <b>drain</b> " + busy + " of pool mailbox"));

            assertEquals(200, admin.post("/api/backends/mailbox/" + busy + "/enable", AdminHttp.TOKEN).status());
            assertEquals("up/0", state(admin.get("/api/backends").body(), busy));
            assertEquals(404, admin.post("/api/backends/mailbox/nope/drain", AdminHttp.TOKEN).status());
            assertEquals(404, admin.post("/api/backends/nopool/b1/drain", AdminHttp.TOKEN).status());
            assertEquals(404, admin.post("/api/backends/mailbox/b1/explode", AdminHttp.TOKEN).status());
            assertEquals(405, admin.get(drain).status());
        }
    }

    @Test
    void healthzIs503AsSoonAsTheGatewayStartsToStop() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "",
                     "shutdown_grace: 10s\n" + AdminHttp.adminBlock(dir));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            AdminHttp admin = new AdminHttp(gateway.gateway().adminPort());
            assertEquals(200, admin.get("/healthz").status());
            client.hello();
            assertTrue(client.send("MAIL FROM:<x@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
            Thread stopping = new Thread(gateway.gateway()::close, "test-stop");
            stopping.start();
            await("503 while the session drains").atMost(Duration.ofSeconds(5))
                    .until(() -> admin.get("/healthz").status() == 503);
            assertEquals("draining: the gateway is stopping\n", admin.get("/healthz").body());
            assertTrue(stopping.isAlive(), "the transaction in progress holds the stop; the admin listener answers meanwhile");
            assertTrue(admin.get("/").body().contains("Unhealthy: draining: the gateway is stopping"));
            assertTrue(client.send("DATA").startsWith("354"));
            client.write("Subject: x\r\n\r\nx\r\n.\r\n");
            assertTrue(client.reply().startsWith("250 2.0.0"), "the transaction in progress finishes");
            stopping.join(10_000);
            assertFalse(stopping.isAlive());
            assertThrows(java.net.ConnectException.class, () -> admin.get("/healthz"), "closed last, with the gateway");
        }
    }

    @Test
    void nonLoopbackWithoutTokenAndABadTokenFileAreRefusedAtLoad() throws Exception {
        ConfigException open = assertThrows(ConfigException.class, () -> TestGateway.start(List.of(2525), "", "",
                "admin: { listen: \"0.0.0.0:0\" }\n"));
        assertTrue(open.getMessage().contains("conf/mxgate.yml:2: admin.listen 0.0.0.0:0 is not a loopback address: set"
                + " admin.token_file too"), open.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> TestGateway.start(List.of(2525), "", "",
                "admin: { listen: \"0.0.0.0:0\", token_file: \"" + dir.resolve("none.token") + "\" }\n"));
        assertTrue(missing.getMessage().contains("conf/mxgate.yml:2: admin.token_file " + dir.resolve("none.token")
                + " does not exist"), missing.getMessage());
    }

    @Test
    void withoutATokenFileTheApiIsReadOnly() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "",
                     "shutdown_grace: 2s\nadmin: { listen: \"127.0.0.1:0\" }\n")) {
            AdminHttp admin = new AdminHttp(gateway.gateway().adminPort());
            AdminHttp.Answer refused = admin.post("/api/backends/mailbox/b1/drain", AdminHttp.TOKEN);
            assertEquals(403, refused.status());
            assertEquals("{\"error\":\"read-only: no admin.token_file is configured\"}\n", refused.body());
            assertEquals(403, admin.post("/api/reload", null).status());
            assertEquals("up/0", state(admin.get("/api/backends").body(), "b1"));
            AdminHttp.Answer page = admin.get("/");
            assertTrue(page.body().contains("Read-only: no <code>admin.token_file</code>"));
            assertTrue(page.header("Content-Security-Policy").startsWith("default-src 'none'"));
            assertEquals("no-store", page.header("Cache-Control"));
            assertTrue(admin.get("/api/status").body().contains("\"can_change\":false"));
            AdminHttp.Answer metrics = admin.get("/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.header("Content-Type").startsWith("text/plain; version=0.0.4"));
            assertEquals(404, admin.get("/nothing").status());
        }
    }

    @Test
    void aLoopbackListenerAnswersOnlyLoopbackHostsAndBoundsItsConnections() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "",
                     "shutdown_grace: 2s\n" + AdminHttp.adminBlock(dir))) {
            AdminHttp admin = new AdminHttp(gateway.gateway().adminPort());
            String rebound = admin.raw("GET /api/status HTTP/1.1\r\nHost: attacker.example:8025\r\nConnection: close\r\n\r\n");
            assertTrue(rebound.startsWith("HTTP/1.1 403 Forbidden"), rebound);
            assertFalse(rebound.contains("mailbox"));
            for (String host : List.of("127.0.0.1:8025", "localhost", "[::1]:8025")) {
                String answer = admin.raw("HEAD /healthz HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
                assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
                assertTrue(answer.contains("content-length: 3"), answer);
                assertTrue(answer.endsWith("\r\n\r\n"), "HEAD has no body: " + answer);
            }
            String big = admin.raw("POST /api/reload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 9000\r\n"
                    + "Connection: close\r\n\r\n" + "x".repeat(9000));
            assertTrue(big.startsWith("HTTP/1.1 413 Request Entity Too Large"), big);
            String longLine = admin.raw("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertTrue(longLine.startsWith("HTTP/1.1 400 Bad Request"), longLine);
            List<java.net.Socket> open = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 32; i++) {
                    open.add(new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), gateway.gateway().adminPort()));
                }
                String turnedAway = admin.raw("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertTrue(turnedAway.startsWith("HTTP/1.1 503 Service Unavailable"), turnedAway);
                assertTrue(turnedAway.endsWith("too many admin connections open\n"), turnedAway);
            } finally {
                for (java.net.Socket socket : open) {
                    socket.close();
                }
            }
            await("a place again").atMost(Duration.ofSeconds(5)).until(() -> admin.get("/healthz").status() == 200);
        }
    }

    @Test
    void reloadOverHttpAppliesAValidSetAndRefusesABrokenOneWithItsLines() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "",
                     "shutdown_grace: 2s\n" + AdminHttp.adminBlock(dir))) {
            AdminHttp admin = new AdminHttp(gateway.gateway().adminPort());
            assertEquals(401, admin.post("/api/reload", null).status());
            AdminHttp.Answer ok = admin.post("/api/reload", AdminHttp.TOKEN);
            assertEquals(200, ok.status());
            assertEquals("{\"reloaded\":true,\"errors\":[],\"notes\":[]}\n", ok.body());
            java.nio.file.Files.writeString(gateway.policyFile("internet"),
                    "accept_domains: [example.test]\nroute: mailbox\nlimits:\n  idle_timeout: soon\n");
            AdminHttp.Answer broken = admin.post("/api/reload", AdminHttp.TOKEN);
            assertEquals(422, broken.status());
            assertTrue(broken.body().startsWith("{\"reloaded\":false,\"errors\":[\""), broken.body());
            assertTrue(broken.body().contains("internet.yml:4: expected a duration"), broken.body());
            AdminHttp.Answer text = admin.post("/api/reload?format=text", AdminHttp.TOKEN);
            assertTrue(text.body().startsWith("refused; still running the previous files\n"), text.body());
        }
    }
}
