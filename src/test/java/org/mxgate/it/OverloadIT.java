package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 clients, each from an address of its own, send a 10 MB message at once to a gateway
 * started by {@code bin/mxgate} with a 128 MB heap, each body allowed 8 MB in memory. The
 * process's memory budget (a quarter of the heap) sends the rest to spool files, so there is no
 * OutOfMemoryError (with the budget set to 1 GB, the gateway dies of one); every client hears 250 or a 4xx, every 250
 * matches exactly one delivered copy, and the gateway's RSS stays under {@link #RSS_LIMIT_MB}
 * (docs/performance.md).
 */
class OverloadIT {

    private static final int CLIENTS = 100;
    private static final int MESSAGE_BYTES = 10 * 1024 * 1024;
    static final long RSS_LIMIT_MB = 512;

    @TempDir
    Path dir;

    @Test
    void aHundredTenMegabyteMessagesAtOnceNeitherExhaustNorLose() throws Exception {
        Path jar = Path.of("target/mxgate.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "mvn package builds " + jar + " before the integration tests");
        try (CountingSink sink = new CountingSink()) {
            int port = freePort();
            Path config = writeConfig(port, sink.port());
            ProcessBuilder run = new ProcessBuilder(LauncherHome.create(dir.resolve("home"), jar).toString(), "run",
                    "--config", config.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("gateway.out").toFile());
            run.environment().put("MXGATE_JAVA_OPTS", "-Xmx128m");
            run.environment().put("MXGATE_LOG_DIR", dir.resolve("logs").toString());
            Process gateway = run.start();
            AtomicLong maxRssKb = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            try {
                awaitGreeting(port, gateway);
                Thread sampler = new Thread(() -> sampleRss(gateway.pid(), maxRssKb, sampling), "rss-sampler");
                sampler.setDaemon(true);
                sampler.start();
                List<CompletableFuture<String>> replies = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    int n = i;
                    CompletableFuture<String> reply = new CompletableFuture<>();
                    Thread t = new Thread(() -> send(port, n, reply), "sender-" + i);
                    t.setDaemon(true);
                    t.start();
                    replies.add(reply);
                }
                Map<String, String> bySubject = new java.util.HashMap<>();
                for (int i = 0; i < CLIENTS; i++) {
                    bySubject.put("message " + i, replies.get(i).get(5, TimeUnit.MINUTES));
                }
                sampling.set(false);
                assertTrue(gateway.isAlive(), "the gateway died" + output());
                assertFalse(output().contains("OutOfMemoryError"), output());
                bySubject.forEach((subject, reply) -> assertTrue(reply.startsWith("250 ") || reply.startsWith("4"),
                        subject + " was told " + reply));
                Map<String, Long> delivered = sink.deliveries().stream()
                        .collect(Collectors.groupingBy(CountingSink.Delivery::subject, Collectors.counting()));
                long accepted = bySubject.values().stream().filter(r -> r.startsWith("250 ")).count();
                bySubject.forEach((subject, reply) -> {
                    if (reply.startsWith("250 ")) {
                        assertEquals(1L, delivered.getOrDefault(subject, 0L), subject + ": a 250 is exactly one copy");
                    }
                });
                System.out.printf("OverloadIT: %d of %d accepted, %d delivered, max RSS %d MB%n", accepted, CLIENTS,
                        sink.deliveries().size(), maxRssKb.get() / 1024);
                assertTrue(accepted > 0, "some were accepted: " + bySubject);
                assertTrue(maxRssKb.get() / 1024 < RSS_LIMIT_MB, "RSS reached " + maxRssKb.get() / 1024 + " MB");
            } finally {
                sampling.set(false);
                gateway.destroy();
                if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly();
                }
            }
        }
    }

    /** One client: its message from 127.0.2.N, the body streamed from a repeated line, never held whole. */
    private static void send(int port, int n, CompletableFuture<String> result) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.2." + (n + 1)), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(300_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String greeting = reply(in);
            if (!greeting.startsWith("220")) {
                result.complete(greeting);
                return;
            }
            for (String command : List.of("EHLO c" + n + ".test", "MAIL FROM:<sender" + n + "@client.test>",
                    "RCPT TO:<user@example.test>", "DATA")) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String reply = reply(in);
                if (!reply.startsWith("2") && !reply.startsWith("354")) {
                    result.complete(reply);
                    return;
                }
            }
            out.write(("Subject: message " + n + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] line = ("x".repeat(78) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] block = new byte[line.length * 800];
            for (int i = 0; i < 800; i++) {
                System.arraycopy(line, 0, block, i * line.length, line.length);
            }
            for (long sent = 0; sent < MESSAGE_BYTES; sent += block.length) {
                out.write(block);
            }
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            result.complete(reply(in));
        } catch (IOException e) {
            result.complete("connection failed: " + e);
        }
    }

    /** One whole reply; its last line. */
    private static String reply(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return "closed: " + line;
            }
            if (b == '\n') {
                String text = line.toString().strip();
                if (text.length() < 4 || text.charAt(3) != '-') {
                    return text;
                }
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }

    private static void sampleRss(long pid, AtomicLong maxKb, AtomicBoolean sampling) {
        Path status = Path.of("/proc/" + pid + "/status");
        while (sampling.get()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        long kb = Long.parseLong(line.replaceAll("\\D", ""));
                        maxKb.accumulateAndGet(kb, Math::max);
                    }
                }
                // The sampling interval: RSS is read, not waited for.
                Thread.sleep(100);
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    private void awaitGreeting(int port, Process gateway) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(gateway.isAlive(), "the gateway did not start: " + output());
            try (SmtpClient client = new SmtpClient(port)) {
                if (client.reply().startsWith("220 ")) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("no greeting within 60 s: " + output());
    }

    private Path writeConfig(int port, int backendPort) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Files.createDirectories(dir.resolve("spool"));
        Path config = dir.resolve("conf/mxgate.yml");
        Files.writeString(config, """
                hostname: mx.example.test
                listeners:
                  - { name: internet, listen: "127.0.0.1:%d", policy: internet }
                pools:
                  mailbox:
                    data_timeout: 2m
                    time_budget: 4m
                    servers:
                      - { name: mx1, address: "127.0.0.1:%d" }
                spool:
                  directory: ../spool
                  memory_limit: 8MB
                """.formatted(port, backendPort));
        Files.writeString(dir.resolve("policies/internet.yml"),
                "accept_domains: [example.test]\nroute: mailbox\nlimits: { max_message_size: 50MB }\n");
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
