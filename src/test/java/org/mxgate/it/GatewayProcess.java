package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/mxgate run} as a real process, the way an admin or systemd starts it: the built
 * {@code target/mxgate.jar} behind a copy of the launcher (LauncherHome), its output in a file,
 * signals sent with {@code kill}. Closing it kills what is still running.
 */
final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private GatewayProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * conf/mxgate.yml and policies/internet.yml under {@code dir}: the internet listener on
     * {@code port} (example.test, no relaying), one backend. {@code top} goes after the host name,
     * {@code pool} inside the pool after its servers (line 7 when {@code top} is empty), {@code tail}
     * at the end; each is whole lines or empty.
     */
    static Path writeConfig(Path dir, String top, int port, int backendPort, String pool, String tail) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Path config = Files.writeString(dir.resolve("conf/mxgate.yml"), "hostname: mx.example.test\n" + top + """
                listeners:
                  - { name: internet, listen: "127.0.0.1:%d", policy: internet }
                pools:
                  mailbox:
                    servers: [{ name: mx1, address: "127.0.0.1:%d" }]
                """.formatted(port, backendPort) + pool + tail);
        Files.writeString(dir.resolve("policies/internet.yml"), "accept_domains: [example.test]\nroute: mailbox\n");
        return config;
    }

    /**
     * Starts {@code bin/mxgate run --config CONFIG ARGS…} from a launcher home under {@code dir}.
     *
     * @param environment added to the launcher's environment (MXGATE_JAVA_OPTS …)
     */
    static GatewayProcess run(Path dir, Path config, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("run", "--config", config.toString()));
        command.addAll(List.of(args));
        return launch(dir, environment, command);
    }

    /** Starts {@code bin/mxgate demo} from a launcher home under {@code dir}. */
    static GatewayProcess demo(Path dir) throws IOException {
        return launch(dir, Map.of(), List.of("demo"));
    }

    private static GatewayProcess launch(Path dir, Map<String, String> environment, List<String> arguments) throws IOException {
        Path jar = Path.of("target/mxgate.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "mvn package builds " + jar + " before the integration tests");
        Path home = dir.resolve("home");
        Path launcher = Files.exists(home.resolve("bin/mxgate")) ? home.resolve("bin/mxgate") : LauncherHome.create(home, jar);
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(arguments);
        Path output = Files.createTempFile(dir, "gateway", ".out");
        ProcessBuilder run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        run.environment().put("MXGATE_JAVA_OPTS", "-Xmx256m");
        run.environment().put("MXGATE_LOG_DIR", dir.resolve("logs").toString());
        run.environment().putAll(environment);
        return new GatewayProcess(run.start(), output);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -SIGNAL pid}, as an admin or systemd sends it. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name + " " + process.pid());
    }

    /** The exit status, once the process has ended within {@code limit}. */
    int awaitExit(Duration limit) throws InterruptedException {
        assertTrue(process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS), "still running after " + limit + output());
        return process.exitValue();
    }

    /** Waits until {@code port} greets with 220, failing at once if the process has ended. */
    void awaitGreeting(int port) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertTrue(process.isAlive(), "the gateway ended" + output());
            try (SmtpClient client = new SmtpClient(port)) {
                String greeting = client.reply();
                return greeting != null && greeting.startsWith("220 ");
            } catch (IOException notYetListening) {
                return false;
            }
        });
    }

    /** Whether something accepts connections on the loopback port now. */
    static boolean isListening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What the process wrote to standard output and error, whole. */
    String text() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last part of the output, for assertion messages. */
    String output() {
        String out = text();
        return "\n--- gateway output (last 3000 chars) ---\n" + out.substring(Math.max(0, out.length() - 3000));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
