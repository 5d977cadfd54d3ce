package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mxgate run} as a real process: what it says and its exit status when it cannot
 * start (a configuration error before any port is bound; a port in use named with its listener
 * and address), the {@code --pid-file} it writes once its listeners are bound and removes at
 * exit, a production run that never loads the demo's GreenMail, and a second {@code demo} while
 * one runs.
 */
class StartupIT {

    @TempDir
    Path dir;

    @Test
    void aConfigurationErrorExitsOneWithFileLineReasonBeforeAnyPortIsBound() throws Exception {
        int port = AdminHttp.freePort();
        // Valid listeners first, the mistake on line 7: the whole file is checked before the first bind.
        Path config = writeConfig(port, 2, "    balance: fastest\n");
        AtomicInteger connected = new AtomicInteger();
        try (GatewayProcess gateway = GatewayProcess.run(dir, config, Map.of())) {
            // Tries the port for as long as the process lives: a bind, however short, would be seen.
            Thread prober = new Thread(() -> {
                while (gateway.isAlive()) {
                    if (GatewayProcess.isListening(port)) {
                        connected.incrementAndGet();
                    }
                    // A bind lasts at least as long as the start-up after it: a fifth of a millisecond sees it.
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                }
            }, "port-prober");
            prober.setDaemon(true);
            prober.start();
            assertEquals(1, gateway.awaitExit(Duration.ofSeconds(60)), gateway.output());
            prober.join();
            String out = gateway.text();
            assertTrue(out.contains("conf/mxgate.yml:7: balance must be round_robin"), out);
            assertFalse(out.contains("listener internet on"), out);
            assertNoStackTrace(out);
        }
        assertEquals(0, connected.get(), "the listener's port was bound");
    }

    @Test
    void aPortInUseNamesTheListenerAndTheAddressWithoutAStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            try (GatewayProcess gateway = GatewayProcess.run(dir, writeConfig(port, 2, ""), Map.of())) {
                assertEquals(1, gateway.awaitExit(Duration.ofSeconds(60)), gateway.output());
                String out = gateway.text();
                assertTrue(out.contains("listener internet: cannot bind 127.0.0.1:" + port + ": Address already in use"), out);
                assertNoStackTrace(out);
            }
        }
    }

    /** A second {@code demo} finds the first one's backend ports taken: one line, not GreenMail's stack traces. */
    @Test
    void aSecondDemoNamesTheBackendPortInUseWithoutAStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            // The first port a running demo holds: its backend mx1's SMTP.
            taken.bind(new InetSocketAddress("127.0.0.1", 3025));
            try (GatewayProcess demo = GatewayProcess.demo(dir)) {
                assertEquals(1, demo.awaitExit(Duration.ofSeconds(60)), demo.output());
                String out = demo.text();
                assertTrue(out.contains("demo backend mx1 (SMTP): cannot bind 127.0.0.1:3025: Address already in use;"
                        + " is another mxgate demo running?"), out);
                assertNoStackTrace(out);
            }
        }
    }

    @Test
    void thePidFileIsWrittenOnceTheListenersAreBoundAndRemovedAtExit() throws Exception {
        int port = AdminHttp.freePort();
        Path pidFile = dir.resolve("run/mxgate.pid");
        Files.createDirectories(pidFile.getParent());
        try (GatewayProcess gateway = GatewayProcess.run(dir, writeConfig(port, 2, ""), Map.of(),
                "--pid-file", pidFile.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile) || !gateway.isAlive());
            // Written after the bind: whoever reads the file can connect at once.
            assertTrue(GatewayProcess.isListening(port), "the pid file came before the listener" + gateway.output());
            String pid = Files.readString(pidFile, StandardCharsets.US_ASCII);
            assertEquals(gateway.pid() + "\n", pid, "the launcher execs java: one process, one pid");

            gateway.signal("TERM");
            assertEquals(0, gateway.awaitExit(Duration.ofSeconds(60)), gateway.output());
            assertFalse(Files.exists(pidFile), "the pid file is removed at exit");
            assertEquals(List.of(), listFiles(pidFile.getParent()), "nothing is left beside it");
        }
    }

    /** `run` needs GreenMail only for `demo`: a gateway that relays a message loads none of its classes. */
    @Test
    void aRunningGatewayLoadsNoGreenMailClass() throws Exception {
        int port = AdminHttp.freePort();
        Path classes = dir.resolve("classes.log");
        try (RecordingBackend backend = new RecordingBackend();
             GatewayProcess gateway = GatewayProcess.run(dir, writeConfig(port, backend.port(), ""),
                     Map.of("MXGATE_JAVA_OPTS", "-Xmx256m -Xlog:class+load=info:file=" + classes))) {
            gateway.awaitGreeting(port);
            try (SmtpClient client = new SmtpClient(port)) {
                client.hello();
                String reply = client.sendMessage("a@client.test", List.of("user@example.test"),
                        "Subject: jar\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(reply.startsWith("250 "), reply);
            }
            gateway.signal("TERM");
            assertEquals(0, gateway.awaitExit(Duration.ofSeconds(60)), gateway.output());
            String loaded = Files.readString(classes);
            assertTrue(loaded.contains("org.mxgate.relay.Relay "), "the class log is complete");
            assertFalse(loaded.contains("com.icegreen."), "run loaded a GreenMail class");
            assertFalse(loaded.contains("jakarta.mail."), "run loaded Jakarta Mail");
        }
    }

    private static void assertNoStackTrace(String out) {
        assertFalse(out.contains("\tat ") || out.contains("Exception"), "one line for the admin, no stack trace:\n" + out);
    }

    private static List<Path> listFiles(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.toList();
        }
    }

    /** conf/mxgate.yml with the internet listener on {@code port} and one backend; {@code poolExtra} goes on line 7. */
    private Path writeConfig(int port, int backendPort, String poolExtra) throws IOException {
        return GatewayProcess.writeConfig(dir, "", port, backendPort, poolExtra, "");
    }
}
