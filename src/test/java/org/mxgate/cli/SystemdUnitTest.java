package org.mxgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxgate.config.ConfigLoader;
import org.mxgate.config.GatewayConfig;
import org.mxgate.policy.RelaySelfTest;
import picocli.CommandLine;

/**
 * deploy/systemd/mxgate.service read as systemd reads it: the settings docs/operations.md
 * promises (start as {@code bin/mxgate run} with options that exist, SIGHUP to reload, a stop
 * timeout above shutdown_grace, descriptors for max_connections, port 25 without root, the
 * hardening), and {@code systemd-analyze verify} where it is installed.
 */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("deploy/systemd/mxgate.service");

    @Test
    void theServiceRunsUnprivilegedWithPort25AndIsReloadedBySighup() throws IOException {
        Map<String, String> service = section("Service");
        assertTrue(List.of("exec", "notify").contains(service.get("Type")), "Type=" + service.get("Type"));
        assertEquals("mxgate", service.get("User"));
        assertEquals("CAP_NET_BIND_SERVICE", service.get("AmbientCapabilities"));
        assertEquals("CAP_NET_BIND_SERVICE", service.get("CapabilityBoundingSet"), "no capability beyond it");
        assertEquals("/bin/kill -HUP $MAINPID", service.get("ExecReload"));
        assertEquals("SIGTERM", service.getOrDefault("KillSignal", "SIGTERM"), "SIGTERM is what drains");
        assertEquals("on-failure", service.get("Restart"));
        assertEquals("multi-user.target", section("Install").get("WantedBy"));
    }

    @Test
    void theServiceIsHardened() throws IOException {
        Map<String, String> service = section("Service");
        for (String setting : List.of("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
                "ProtectKernelModules", "ProtectControlGroups", "RestrictSUIDSGID", "RestrictNamespaces", "LockPersonality")) {
            assertEquals("yes", service.get(setting), setting);
        }
        assertEquals("strict", service.get("ProtectSystem"));
        // The JIT writes the code it runs: this setting would stop the JVM.
        assertNull(service.get("MemoryDenyWriteExecute"));
    }

    @Test
    void execStartIsBinMxgateRunWithOptionsThatExist() throws IOException {
        Map<String, String> service = section("Service");
        List<String> words = Arrays.asList(service.get("ExecStart").split("\\s+"));
        assertTrue(words.get(0).endsWith("/bin/mxgate"), words.toString());
        String home = words.get(0).substring(0, words.get(0).length() - "/bin/mxgate".length());
        assertEquals(home, service.get("WorkingDirectory"));

        // picocli refuses an option the command does not have.
        CommandLine.ParseResult parsed = new CommandLine(new MxgateCommand(config -> {
            throw new AssertionError("nothing starts");
        })).parseArgs(words.subList(1, words.size()).toArray(String[]::new));
        CommandLine.ParseResult run = parsed.subcommand();
        assertEquals("run", run.commandSpec().name());
        assertEquals(Path.of(home, "conf/mxgate.yml"), run.matchedOptionValue("--config", null));
        Path pidFile = run.matchedOptionValue("--pid-file", null);
        assertEquals(Path.of("/run", service.get("RuntimeDirectory"), "mxgate.pid"), pidFile,
                "the pid file goes in the directory systemd makes for the service");

        Map<String, String> environment = environment();
        assertEquals(home + "/logs", environment.get("MXGATE_LOG_DIR"));
        List<String> writable = Arrays.asList(service.get("ReadWritePaths").split("\\s+"));
        assertTrue(writable.contains(environment.get("MXGATE_LOG_DIR")), "the protocol log must be writable: " + writable);
        assertTrue(writable.contains(home + "/certs"), "a missing certificate pair is written there at the first start");
    }

    /** The stop timeout and the descriptors fit the configuration that ships in conf/mxgate.yml. */
    @Test
    void stopTimeoutAndDescriptorsFitTheShippedConfiguration() throws Exception {
        GatewayConfig shipped = ConfigLoader.load(Path.of("conf/mxgate.yml"), RelaySelfTest::run);
        Map<String, String> service = section("Service");
        Duration stop = seconds(service.get("TimeoutStopSec"));
        assertTrue(stop.compareTo(shipped.shutdownGrace().plusSeconds(10)) >= 0,
                "TimeoutStopSec " + stop + " must leave shutdown_grace " + shipped.shutdownGrace() + " and closing time");
        int maxConnections = shipped.maxConnections() == 0 ? GatewayConfig.DEFAULT_MAX_CONNECTIONS : shipped.maxConnections();
        // docs/configuration.md, max_connections: a client and a backend connection each, plus a few hundred.
        long files = Long.parseLong(service.get("LimitNOFILE"));
        assertTrue(files >= 2L * maxConnections + 300, "LimitNOFILE " + files + " for max_connections " + maxConnections);
    }

    @Test
    void systemdAnalyzeVerifiesTheUnit(@TempDir Path dir) throws Exception {
        Path analyze = installed("systemd-analyze");
        if (analyze == null) {
            System.out.println("SystemdUnitTest: systemd-analyze not installed; the unit is not verified by systemd");
        }
        Assumptions.assumeTrue(analyze != null, "systemd-analyze not installed");
        // The same unit with the launcher of this checkout, since verify checks that the program exists.
        String home = section("Service").get("WorkingDirectory");
        Path unit = dir.resolve("mxgate.service");
        Files.writeString(unit, Files.readString(UNIT).replace(home + "/bin/mxgate",
                Path.of("bin/mxgate").toAbsolutePath().toString()));
        Process verify = new ProcessBuilder(analyze.toString(), "verify", unit.toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, verify.exitValue(), output);
        // An unknown key or a bad value is only a warning to systemd, and a setting silently lost.
        assertFalse(output.contains("mxgate.service"), output);
    }

    /** One section's settings; a key given twice keeps the last value, as systemd does for most. */
    private static Map<String, String> section(String name) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        String current = null;
        for (String raw : Files.readAllLines(UNIT)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            assertFalse(line.endsWith("\\"), "no continuation lines, so this reader reads what systemd reads: " + line);
            if (line.startsWith("[")) {
                current = line.substring(1, line.length() - 1);
            } else if (name.equals(current)) {
                int eq = line.indexOf('=');
                settings.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        assertFalse(settings.isEmpty(), "no [" + name + "] in " + UNIT);
        return settings;
    }

    /** Every Environment= line, as name and value (one assignment per line in this unit). */
    private static Map<String, String> environment() throws IOException {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : Files.readAllLines(UNIT)) {
            if (line.startsWith("Environment=")) {
                String assignment = line.substring("Environment=".length());
                int eq = assignment.indexOf('=');
                environment.put(assignment.substring(0, eq), assignment.substring(eq + 1));
            }
        }
        return environment;
    }

    /** A systemd time span as this unit writes it: {@code 45s}, {@code 2min}, {@code 1min 30s} or bare seconds. */
    private static Duration seconds(String span) {
        Matcher part = Pattern.compile("(\\d+)\\s*(min|s)?").matcher(span);
        Duration total = Duration.ZERO;
        List<String> parts = new ArrayList<>();
        while (part.find()) {
            parts.add(part.group());
            long n = Long.parseLong(part.group(1));
            total = total.plus("min".equals(part.group(2)) ? Duration.ofMinutes(n) : Duration.ofSeconds(n));
        }
        assertEquals(span.replace(" ", ""), String.join("", parts).replace(" ", ""), "a time span this test reads");
        return total;
    }

    private static Path installed(String program) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/usr/local/bin")) {
            Path path = Path.of(dir, program);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        return null;
    }
}
