package org.mxgate.it;

import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A private {@code redis-server} (Debian's, /usr/bin/redis-server) on a free loopback port,
 * without persistence ({@code --save "" --appendonly no}): started, stopped and started again on
 * the same port, as an outage and a recovery look to the gateways that use it. A test that needs
 * it skips, with the reason printed, where the program is missing. {@link #command} speaks RESP
 * over a socket of its own, so a test can read {@code INFO commandstats} without the gateway's client.
 */
final class RedisServer implements AutoCloseable {

    static final Path PROGRAM = Path.of("/usr/bin/redis-server");

    private static final Duration START_LIMIT = Duration.ofSeconds(10);

    private final int port;
    private final Path directory;
    /** What makes this one what it is: TLS on its port, or a Sentinel's config file. */
    private final List<String> mode;
    private final String uri;
    private final boolean tls;
    private Process process;

    private RedisServer(int port, Path directory, List<String> mode, String uri, boolean tls) {
        this.port = port;
        this.directory = directory;
        this.mode = mode;
        this.uri = uri;
        this.tls = tls;
    }

    /** Starts one, or skips the calling test when redis-server is not installed. */
    static RedisServer start() throws IOException, InterruptedException {
        int port = freePortOrSkip();
        RedisServer redis = new RedisServer(port, Files.createTempDirectory("mxgate-redis-"),
                List.of("--port", String.valueOf(port)), "redis://127.0.0.1:" + port, false);
        redis.startProcess();
        return redis;
    }

    /**
     * One that speaks TLS only, with a self-signed certificate for 127.0.0.1; its URI
     * ({@code rediss://…?verifyPeer=NONE}) does not check that certificate, which no trust store knows.
     */
    static RedisServer startTls() throws Exception {
        int port = freePortOrSkip();
        Path dir = Files.createTempDirectory("mxgate-redis-");
        TestTls.Pair pair = TestTls.selfSigned(dir, "127.0.0.1");
        RedisServer redis = new RedisServer(port, dir, List.of("--port", "0", "--tls-port", String.valueOf(port),
                "--tls-cert-file", pair.certificate().toString(), "--tls-key-file", pair.key().toString(),
                "--tls-ca-cert-file", pair.certificate().toString(), "--tls-auth-clients", "no"),
                "rediss://127.0.0.1:" + port + "?verifyPeer=NONE", true);
        redis.startProcess();
        return redis;
    }

    /** A Sentinel watching {@code primary} under the name {@code master}, with a quorum of one. */
    static RedisServer startSentinel(RedisServer primary, String master) throws IOException, InterruptedException {
        int port = freePortOrSkip();
        Path dir = Files.createTempDirectory("mxgate-sentinel-");
        Path conf = dir.resolve("sentinel.conf");
        // Sentinel rewrites its file: it must be its own, and writable.
        Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\nsentinel monitor " + master + " 127.0.0.1 "
                + primary.port() + " 1\n");
        RedisServer sentinel = new RedisServer(port, dir, List.of(conf.toString(), "--sentinel"),
                "redis-sentinel://127.0.0.1:" + port + "#" + master, false);
        sentinel.startProcess();
        return sentinel;
    }

    private static int freePortOrSkip() {
        Assumptions.assumeTrue(Files.isExecutable(PROGRAM),
                "redis-server not installed (Debian package redis-server; .ci/run installs it)");
        return InteropTools.freePort();
    }

    int port() {
        return port;
    }

    /** The URI a gateway's {@code shared_state.redis} names. */
    String uri() {
        return uri;
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops it at once (SIGKILL: an outage, not a shutdown); what it held is gone. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** Starts it again on the same port, empty. */
    void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    /** One command and its reply, flattened to text: a bulk string's text, an integer's digits, an array's items one a line. */
    String command(String... args) throws IOException {
        try (Socket socket = tls ? TestTls.trustingClient().getSocketFactory().createSocket("127.0.0.1", port)
                : new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                        .append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** {@code INFO commandstats} as command name → calls (lower case, as Redis names them: evalsha, publish…). */
    java.util.Map<String, Long> commandCalls() throws IOException {
        java.util.Map<String, Long> calls = new java.util.TreeMap<>();
        for (String line : command("INFO", "commandstats").split("\r?\n")) {
            // cmdstat_evalsha:calls=12,usec=…
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String stats = line.substring(line.indexOf(':') + 1);
                for (String field : stats.split(",")) {
                    if (field.startsWith("calls=")) {
                        calls.put(name, Long.parseLong(field.substring("calls=".length())));
                    }
                }
            }
        }
        return calls;
    }

    /** Whether the server answers yet; a server that exited ends the wait with its log. */
    private boolean answersPing(Path log) throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("redis-server exited with " + process.exitValue() + ":\n" + Files.readString(log));
        }
        try {
            return "PONG".equals(command("PING"));
        } catch (IOException notYet) {
            return false;
        }
    }

    private void startProcess() throws IOException, InterruptedException {
        Path log = directory.resolve("redis.log");
        List<String> command = new ArrayList<>(List.of(PROGRAM.toString()));
        command.addAll(mode);
        command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString(),
                "--daemonize", "no"));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            await("redis-server answering PING").atMost(START_LIMIT).pollInterval(Duration.ofMillis(20))
                    .until(() -> answersPing(log));
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("redis-server did not answer PING within " + START_LIMIT + ":\n"
                    + Files.readString(log));
        }
    }

    private static String read(InputStream in) throws IOException {
        String line = line(in);
        switch (line.charAt(0)) {
            case '+', ':' -> {
                return line.substring(1);
            }
            case '-' -> throw new IOException("redis: " + line.substring(1));
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(length + 2);
                return new String(data, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line.substring(1));
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return String.join("\n", items);
            }
            default -> throw new IOException("unexpected reply: " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                return line.toString();
            }
            line.append((char) c);
        }
        throw new IOException("connection closed by redis");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
