package org.mxgate.it;

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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2,000 idle connections at once, each from a loopback address of its own and stopped after
 * EHLO, against a real gateway process: it keeps greeting and serving a normal client within a
 * second, and each idle session costs it one file descriptor and a few KB of memory (measured
 * from /proc, figures in docs/performance.md).
 */
class IdleConnectionsIT {

    private static final int IDLE = 2000;

    @TempDir
    Path dir;

    @Test
    void twoThousandIdleClientsCostOneDescriptorAndAFewKilobytesEach() throws Exception {
        Path jar = Path.of("target/mxgate.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "mvn package builds " + jar + " before the integration tests");
        try (RecordingBackend backend = new RecordingBackend()) {
            int port = freePort();
            Path config = writeConfig(port, backend.port());
            ProcessBuilder run = new ProcessBuilder(LauncherHome.create(dir.resolve("home"), jar).toString(), "run",
                    "--config", config.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("gateway.out").toFile());
            run.environment().put("MXGATE_JAVA_OPTS", "-Xmx256m");
            run.environment().put("MXGATE_LOG_DIR", dir.resolve("logs").toString());
            Process gateway = run.start();
            List<Socket> idle = new ArrayList<>();
            try {
                deliver(port, gateway, "warm-up");
                long fdsBefore = descriptors(gateway.pid());
                long rssBefore = rssKb(gateway.pid());
                for (int i = 0; i < IDLE; i++) {
                    idle.add(idleClient(port, "127.0." + (20 + i / 250) + "." + (i % 250 + 1)));
                }
                long fds = descriptors(gateway.pid()) - fdsBefore;
                long rssKb = rssKb(gateway.pid()) - rssBefore;
                long start = System.nanoTime();
                deliver(port, gateway, "while 2000 wait");
                long millis = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("IdleConnectionsIT: %d idle sessions: %.2f descriptors and %.1f KB RSS each;"
                        + " a normal client delivered in %d ms%n", IDLE, fds / (double) IDLE, rssKb / (double) IDLE, millis);
                assertTrue(millis < 1000, "a normal client took " + millis + " ms beside " + IDLE + " idle ones");
                assertTrue(fds <= IDLE + 20, fds + " more descriptors for " + IDLE + " idle sessions: one each, no backend");
                assertTrue(rssKb / IDLE < 64, rssKb / IDLE + " KB RSS per idle session");
                assertTrue(gateway.isAlive());
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
                gateway.destroy();
                if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly();
                }
            }
        }
    }

    /** Connects from {@code from}, reads the greeting, says EHLO, reads the answer, and stays. */
    private static Socket idleClient(int port, String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        readReply(in);
        out.write("EHLO idle.test\r\n".getBytes(StandardCharsets.US_ASCII));
        String ehlo = readReply(in);
        if (!ehlo.startsWith("250")) {
            throw new IOException(from + ": " + ehlo);
        }
        return socket;
    }

    private static String readReply(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed: " + line);
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

    private void deliver(int port, Process gateway, String subject) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            assertTrue(gateway.isAlive(), "the gateway died" + output());
            try (SmtpClient client = new SmtpClient(port)) {
                client.hello();
                String reply = client.sendMessage("normal@client.test", List.of("user@example.test"),
                        ("Subject: " + subject + "\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII));
                assertTrue(reply.startsWith("250 "), reply);
                return;
            } catch (IOException notYetListening) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no gateway within 60 s" + output());
                }
                Thread.onSpinWait();
            }
        }
    }

    private static long descriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
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
        Files.writeString(dir.resolve("policies/internet.yml"), "accept_domains: [example.test]\nroute: mailbox\n");
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
