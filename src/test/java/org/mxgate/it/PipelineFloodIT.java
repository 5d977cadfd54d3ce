package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client pipelines a million NOOPs and never reads a reply, against a real gateway process
 * started by {@code bin/mxgate} with a 128 MB heap. The gateway must stop reading from that
 * client instead of queueing its replies, so it neither runs out of memory nor blocks its I/O
 * threads on a full log queue: meanwhile other clients get their greeting within a second and
 * deliver mail (issue 13; SmtpLineDecoderTest, NonBlockingAppenderTest, LauncherTest).
 */
class PipelineFloodIT {

    private static final int NOOPS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void aClientThatNeverReadsCannotStopTheGateway() throws Exception {
        Path jar = Path.of("target/mxgate.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "mvn package builds " + jar + " before the integration tests");
        try (RecordingBackend backend = new RecordingBackend()) {
            int port = freePort();
            Path config = writeConfig(port, backend.port());
            Path launcher = LauncherHome.create(dir.resolve("home"), jar);
            ProcessBuilder run = new ProcessBuilder(launcher.toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("gateway.out").toFile());
            run.environment().put("MXGATE_JAVA_OPTS", "-Xmx128m");
            run.environment().put("MXGATE_LOG_DIR", dir.resolve("logs").toString());
            Process gateway = run.start();
            try {
                awaitGreeting(port, gateway);
                floodAndDeliver(port, gateway, backend);
            } finally {
                gateway.destroy();
                if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly();
                }
            }
            // 143 is how a JVM reports SIGTERM after its shutdown hooks ran.
            assertTrue(gateway.exitValue() == 0 || gateway.exitValue() == 143,
                    "SIGTERM still stops it: exit " + gateway.exitValue() + output());
        }
    }

    private void floodAndDeliver(int port, Process gateway, RecordingBackend backend) throws Exception {
        AtomicLong written = new AtomicLong();
        try (Socket flood = new Socket()) {
            // A small receive window: the gateway's replies back up in its own buffers at once.
            flood.setReceiveBufferSize(4096);
            flood.connect(new InetSocketAddress("127.0.0.1", port));
            Thread writer = new Thread(() -> pipelineNoops(flood, written), "noop-flood");
            writer.setDaemon(true);
            writer.start();
            long floodStart = System.nanoTime();
            for (int round = 0; round < 5; round++) {
                // Each round a little further into the flood, up to where TCP makes the writer wait.
                awaitProgress(written, (round + 1) * 400_000L, floodStart);
                long start = System.nanoTime();
                try (SmtpClient client = new SmtpClient(port)) {
                    String greeting = client.reply();
                    long greetingMillis = (System.nanoTime() - start) / 1_000_000;
                    assertTrue(greeting != null && greeting.startsWith("220 "), "greeting: " + greeting + output());
                    assertTrue(greetingMillis < 1000, "greeting after " + greetingMillis + " ms, round " + round);
                    assertTrue(client.send("EHLO other.test").startsWith("250"));
                    String queued = client.sendMessage("sender@elsewhere.test", List.of("user@example.test"),
                            ("Subject: round " + round + "\r\n\r\nstill here\r\n").getBytes(StandardCharsets.US_ASCII));
                    assertTrue(queued.startsWith("250 "), "round " + round + ": " + queued + output());
                }
                assertTrue(gateway.isAlive(), "the gateway died: " + output());
            }
            assertEquals(5, backend.messages().size());
        }
    }

    /** Writes the NOOPs as fast as the gateway lets it; blocks when TCP pushes back, which is the point. */
    private static void pipelineNoops(Socket socket, AtomicLong written) {
        byte[] block = "NOOP\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        try {
            OutputStream out = socket.getOutputStream();
            for (int sent = 0; sent < NOOPS; sent += 10_000) {
                out.write(block);
                written.addAndGet(block.length);
            }
        } catch (IOException closed) {
            // The test closed the socket, or the gateway did.
        }
    }

    /**
     * Until the writer has sent {@code bytes}, or has been held up by the gateway: a writer blocked
     * by TCP shows no event of its own, so two seconds without progress count as held up. Neither
     * outcome is asserted; each round then asserts what other clients get.
     */
    private static void awaitProgress(AtomicLong written, long bytes, long since) {
        long[] last = {written.get(), System.nanoTime()};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
            long now = written.get();
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
            }
            return now >= bytes || System.nanoTime() - last[1] >= Duration.ofSeconds(2).toNanos()
                    || System.nanoTime() - since >= Duration.ofSeconds(60).toNanos();
        });
    }

    private void awaitGreeting(int port, Process gateway) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast(() -> assertTrue(gateway.isAlive(), () -> "the gateway did not start: " + output()))
                .untilAsserted(() -> assertTrue(greets(port), () -> "no greeting within 60 s: " + output()));
    }

    private static boolean greets(int port) {
        try (SmtpClient client = new SmtpClient(port)) {
            String greeting = client.reply();
            return greeting != null && greeting.startsWith("220 ");
        } catch (IOException notYet) {
            return false;
        }
    }

    private Path writeConfig(int port, int backendPort) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Path config = dir.resolve("conf/mxgate.yml");
        Files.writeString(config, """
                hostname: mx.example.test
                listeners:
                  - { name: internet, listen: "127.0.0.1:%d", policy: internet }
                pools:
                  mailbox:
                    servers:
                      - { name: mx1, address: "127.0.0.1:%d" }
                """.formatted(port, backendPort));
        // No junk command limit: the flood must meet back pressure, not be ended after 100 NOOPs (JunkCommandsIT).
        Files.writeString(dir.resolve("policies/internet.yml"),
                "accept_domains: [example.test]\nroute: mailbox\nlimits: { max_junk_commands: 0 }\n");
        return config;
    }

    private String output() {
        try {
            String out = Files.readString(dir.resolve("gateway.out"));
            return "\n--- gateway output (last 3000 chars) ---\n" + out.substring(Math.max(0, out.length() - 3000));
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
