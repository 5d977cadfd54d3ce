package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxgate.backend.Backend;
import org.mxgate.backend.BackendPool;
import org.mxgate.config.ReloadResult;

/**
 * The {@code pools:} section reloaded while the gateway runs, over real sockets, in one client
 * session that stays open across each reload: a third backend added by editing the file takes
 * mail; a backend removed while a transaction is in flight on it finishes that transaction
 * (delivered once, 250) while new ones go elsewhere; an invalid pools section is refused whole
 * and mail keeps flowing to the running pools; a changed listener or host name is reported as
 * needing a restart while the running listener keeps serving; SIGHUP reloads a running process.
 */
class PoolReloadIT {

    private static final byte[] SMALL = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String POLICY = "accept_domains: [example.test]\nroute: mailbox\n";

    /** conf/mxgate.yml with one listener and the pool {@code mailbox}, whose lines {@code pool} gives (unindented). */
    private static String conf(String hostname, String listen, String pool) {
        return """
                hostname: %s
                shutdown_grace: 1s
                listeners:
                  - { name: internet, listen: %s, policy: internet }
                pools:
                  mailbox:
                """.formatted(hostname, listen) + pool.indent(4);
    }

    private static String servers(String... lines) {
        return "balance: round_robin\nslow_start: 0s\nservers:\n" + String.join("", List.of(lines).stream()
                .map(l -> "  - " + l + "\n").toList());
    }

    private static String server(String name, int port) {
        return "{ name: " + name + ", address: 127.0.0.1:" + port + " }";
    }

    @Test
    void aThirdBackendAddedToTheFileTakesMailWithoutARestart() throws Exception {
        String check = "health_check: { interval: 1s, timeout: 2s, probe: mail_from, rise: 2, fall: 3 }\n";
        try (RecordingBackend b1 = new RecordingBackend();
             RecordingBackend b2 = new RecordingBackend();
             RecordingBackend b3 = new RecordingBackend();
             CapturedLog health = new CapturedLog(Backend.class, Level.INFO);
             TestGateway gateway = TestGateway.startWith(conf("mx.test.invalid", "127.0.0.1:0",
                     check + servers(server("b1", b1.port()), server("b2", b2.port()))), Map.of("internet", POLICY));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            for (int i = 0; i < 2; i++) {
                assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"), SMALL).startsWith("250 2.0.0"));
            }
            assertEquals(1, b1.messages().size());
            assertEquals(1, b2.messages().size());

            // Edited in place: the watch reloads it, as it does the policy files.
            Files.writeString(gateway.configFile(), conf("mx.test.invalid", "127.0.0.1:0",
                    check + servers(server("b1", b1.port()), server("b2", b2.port()), server("b3", b3.port()))));
            // Down until its first probe, which it gets at once rather than after an interval.
            await("b3 up").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> health.contains("backend b3 of pool mailbox is up"));
            BackendPool pool = gateway.gateway().pool("mailbox");
            assertEquals(List.of("b1", "b2", "b3"), pool.backends().stream().map(Backend::name).toList());

            for (int i = 0; i < 6; i++) {
                assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"), SMALL).startsWith("250 2.0.0"));
            }
            assertEquals(2, b3.messages().size(), "round robin over three after the reload");
            assertEquals(3, b1.messages().size());
            assertEquals(3, b2.messages().size());
            assertTrue(gateway.gateway().pools().containsKey("mailbox"));
            client.send("QUIT");
        }
    }

    @Test
    void aBackendRemovedWithATransactionInFlightFinishesItAndTakesNoNewOnes() throws Exception {
        try (ScriptedBackend held = new ScriptedBackend(ScriptedBackend.Script.HOLD_AFTER_DOT);
             RecordingBackend r1 = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith(conf("mx.test.invalid", "127.0.0.1:0",
                     servers(server("held", held.port()), server("r1", r1.port()))), Map.of("internet", POLICY));
             SmtpClient inFlight = new SmtpClient(gateway.internet());
             SmtpClient next = new SmtpClient(gateway.internet())) {
            inFlight.hello();
            assertTrue(inFlight.send("MAIL FROM:<a@client.test>").startsWith("250"));
            assertTrue(inFlight.send("RCPT TO:<user@example.test>").startsWith("250"));
            assertTrue(inFlight.send("DATA").startsWith("354"));
            inFlight.write("Subject: in flight\r\n\r\nheld at the final dot\r\n.\r\n");
            held.awaitHeldDot();
            CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return inFlight.reply();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });

            Files.writeString(gateway.configFile(), conf("mx.test.invalid", "127.0.0.1:0", servers(server("r1", r1.port()))));
            // On request (SIGHUP, the admin endpoint); the file watch would apply it a moment later.
            ReloadResult result = gateway.gateway().reload();
            assertTrue(result.isApplied(), result.errors().toString());
            assertEquals(List.of("r1"), gateway.gateway().pool("mailbox").backends().stream().map(Backend::name).toList());
            assertFalse(reply.isDone(), "the transaction on the removed backend is still in flight");

            next.hello();
            for (int i = 0; i < 3; i++) {
                String answer = next.sendMessage("b@client.test", List.of("user@example.test"), SMALL);
                assertTrue(answer.startsWith("250 2.0.0") && answer.contains("(backend r1"), answer);
            }

            held.releaseDot();
            String answer = reply.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(answer.startsWith("250 2.0.0") && answer.contains("(backend held"), answer);
            assertEquals(1, held.delivered(), "delivered once, where it was in flight");
            assertEquals(1, held.dataStarted(), "and never replayed");
            assertEquals(3, r1.messages().size());
            assertTrue(r1.messages().stream().noneMatch(m -> new String(m.bytes(), StandardCharsets.US_ASCII)
                    .contains("in flight")), "no copy on the remaining backend");
            // Its session closes once released instead of being parked for a next transaction.
            await("the removed backend's session closed").atMost(Duration.ofSeconds(10))
                    .until(() -> held.openConnections() == 0);

            // The client of the removed backend's transaction goes on, on the remaining one.
            String after = inFlight.sendMessage("a@client.test", List.of("user@example.test"), SMALL);
            assertTrue(after.startsWith("250 2.0.0") && after.contains("(backend r1"), after);
        }
    }

    @Test
    void anInvalidPoolsSectionIsRefusedWholeAndMailKeepsFlowingToTheRunningPools() throws Exception {
        try (RecordingBackend b1 = new RecordingBackend();
             RecordingBackend b2 = new RecordingBackend();
             RecordingBackend b3 = new RecordingBackend();
             CapturedLog reloads = new CapturedLog(org.mxgate.config.PolicyReloader.class, Level.INFO);
             TestGateway gateway = TestGateway.startWith(conf("mx.test.invalid", "127.0.0.1:0",
                     servers(server("b1", b1.port()), server("b2", b2.port()))), Map.of("internet", POLICY));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            // A third server (valid) beside a weight that is not a number (line 11): nothing of it applies.
            Files.writeString(gateway.configFile(), conf("mx.test.invalid", "127.0.0.1:0", servers(server("b1", b1.port()),
                    "{ name: b2, address: 127.0.0.1:" + b2.port() + ", weight: heavy }", server("b3", b3.port()))));
            List<String> errors = gateway.gateway().reload().errors().stream().map(Object::toString).toList();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).startsWith(gateway.configFile().toAbsolutePath().normalize() + ":11: "), errors.get(0));
            assertTrue(errors.get(0).contains("weight"), errors.get(0));
            assertTrue(reloads.contains("policies not reloaded"), reloads.lines().toString());

            // A pool the policy still routes to, removed from the file: refused at the policy's route line.
            Files.writeString(gateway.configFile(), conf("mx.test.invalid", "127.0.0.1:0", servers(server("b3", b3.port())))
                    .replace("  mailbox:", "  elsewhere:"));
            errors = gateway.gateway().reload().errors().stream().map(Object::toString).toList();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).endsWith("internet.yml:2: route names pool 'mailbox', which mxgate.yml does not define"),
                    errors.get(0));

            assertEquals(List.of("b1", "b2"), gateway.gateway().pool("mailbox").backends().stream().map(Backend::name).toList());
            assertEquals(null, gateway.gateway().pool("elsewhere"));
            for (int i = 0; i < 4; i++) {
                assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"), SMALL).startsWith("250 2.0.0"));
            }
            assertEquals(2, b1.messages().size());
            assertEquals(2, b2.messages().size());
            assertEquals(0, b3.mailCommands());
        }
    }

    @Test
    void aChangedListenerNeedsARestartAndTheRunningOneKeepsServing() throws Exception {
        try (RecordingBackend b1 = new RecordingBackend();
             RecordingBackend b2 = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith(conf("mx.test.invalid", "127.0.0.1:0",
                     servers(server("b1", b1.port()))), Map.of("internet", POLICY))) {
            int port = gateway.internet();
            // Another address and host name, and a second server: the server is added, the rest waits.
            Files.writeString(gateway.configFile(), conf("mx2.test.invalid", "127.0.0.2:0",
                    servers(server("b1", b1.port()), server("b2", b2.port()))));
            ReloadResult result = gateway.gateway().reload();
            assertTrue(result.isApplied(), result.errors().toString());
            // Said at every reload while the file differs from what runs, so whichever reload (this or the watch's) applied the pool.
            assertTrue(result.notes().contains("listeners changed: needs a restart"), result.notes().toString());
            assertTrue(result.notes().contains("hostname changed: needs a restart"), result.notes().toString());

            assertEquals(port, gateway.internet(), "the running listener stays");
            try (SmtpClient client = new SmtpClient(port)) {
                String greeting = client.reply();
                assertTrue(greeting.startsWith("220 mx.test.invalid"), "the running host name stays: " + greeting);
                client.send("EHLO client.test");
                for (int i = 0; i < 2; i++) {
                    assertTrue(client.sendMessage("a@client.test", List.of("user@example.test"), SMALL).startsWith("250 2.0.0"));
                }
            }
            assertEquals(1, b1.messages().size());
            assertEquals(1, b2.messages().size(), "the pool change applied");
        }
    }

    @Test
    void aPoolAddedWithThePolicyThatRoutesToItTakesItsMail() throws Exception {
        try (RecordingBackend b1 = new RecordingBackend();
             RecordingBackend archive = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith(conf("mx.test.invalid", "127.0.0.1:0",
                     servers(server("b1", b1.port()))), Map.of("internet", POLICY));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            Files.writeString(gateway.configFile(), conf("mx.test.invalid", "127.0.0.1:0", servers(server("b1", b1.port())))
                    + "  archive:\n    servers:\n      - " + server("a1", archive.port()) + "\n");
            Files.writeString(gateway.policyFile("internet"),
                    "accept_domains: [example.test, archive.test]\nroutes: { archive.test: archive, \"*\": mailbox }\n");
            ReloadResult result = gateway.gateway().reload();
            assertTrue(result.isApplied(), result.errors().toString());

            String reply = client.sendMessage("a@client.test", List.of("user@archive.test"), SMALL);
            assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend a1"), reply);
            assertEquals(1, archive.messages().size());
            assertEquals(List.of("mailbox", "archive"), List.copyOf(gateway.gateway().pools().keySet()));
        }
    }

    /**
     * SIGHUP reloads a running process, as MTAs do. The new file is written in place with the old
     * one's size, and its time set back (as a filesystem with coarse times, or a copy that keeps
     * times, can leave it): the file watch cannot tell it from the old one, so only the signal can
     * have applied it.
     */
    @Test
    void sighupReloadsTheRunningProcessEvenWhereTheWatchSeesNoChange(@TempDir Path dir) throws Exception {
        Path jar = Path.of("target/mxgate.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "mvn package builds " + jar + " before the integration tests");
        try (RecordingBackend b1 = new RecordingBackend(); RecordingBackend b2 = new RecordingBackend()) {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            String before = conf("mx.test.invalid", "127.0.0.1:" + port, servers(server("b1", b1.port())));
            String after = conf("mx.test.invalid", "127.0.0.1:" + port, servers(server("b2", b2.port())));
            int length = Math.max(before.length(), after.length());
            Path conf = dir.resolve("conf/mxgate.yml");
            Files.createDirectories(conf.getParent());
            Files.createDirectories(dir.resolve("policies"));
            Files.writeString(dir.resolve("policies/internet.yml"), POLICY);
            Files.writeString(conf, before + "#" + " ".repeat(length - before.length()) + "\n");
            Path out = dir.resolve("gateway.out");
            ProcessBuilder run = new ProcessBuilder(LauncherHome.create(dir.resolve("home"), jar).toString(), "run",
                    "--config", conf.toString()).redirectErrorStream(true).redirectOutput(out.toFile());
            run.environment().put("MXGATE_JAVA_OPTS", "-Xmx128m");
            run.environment().put("MXGATE_LOG_DIR", dir.resolve("logs").toString());
            Process gateway = run.start();
            try {
                await("greeting").atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(java.io.IOException.class)
                        .until(() -> {
                            if (!gateway.isAlive()) {
                                throw new AssertionError("the gateway did not start: " + Files.readString(out));
                            }
                            try (SmtpClient client = new SmtpClient(port)) {
                                return client.reply().startsWith("220 ");
                            }
                        });
                assertTrue(send(port).contains("(backend b1"));

                FileTime time = Files.getLastModifiedTime(conf);
                Files.writeString(conf, after + "#" + " ".repeat(length - after.length()) + "\n");
                Files.setLastModifiedTime(conf, time);
                assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(gateway.pid())).start().waitFor());
                await("SIGHUP reload").atMost(Duration.ofSeconds(20))
                        .until(() -> Files.readString(out).contains("pool mailbox: server b2 (127.0.0.1:" + b2.port() + ") added"));
                assertTrue(Files.readString(out).contains("SIGHUP: reloading policies and pools"));
                assertTrue(send(port).contains("(backend b2"));
                assertEquals(1, b1.messages().size());
                assertEquals(1, b2.messages().size());
            } finally {
                gateway.destroy();
                assertTrue(gateway.waitFor(30, TimeUnit.SECONDS), "the gateway stops on SIGTERM");
            }
        }
    }

    private static String send(int port) throws java.io.IOException {
        try (SmtpClient client = new SmtpClient(port)) {
            client.hello();
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), SMALL);
            assertTrue(reply.startsWith("250 2.0.0"), reply);
            client.send("QUIT");
            return reply;
        }
    }
}
