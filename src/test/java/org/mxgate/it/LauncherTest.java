package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code bin/mxgate} hands the JVM, read from a stand-in {@code java} that writes its
 * arguments down: the gateway exits on OutOfMemoryError, so a supervisor restarts it instead
 * of leaving a process that accepts connections and never answers (PipelineFloodIT).
 */
class LauncherTest {

    @Test
    void theJvmExitsOnOutOfMemoryAndTheAdminsOptionsComeAfter(@TempDir Path dir) throws Exception {
        Path launcher = LauncherHome.create(dir.resolve("home"), null);
        Path javaHome = dir.resolve("jdk");
        Path java = javaHome.resolve("bin/java");
        Path arguments = dir.resolve("arguments");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + arguments + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder run = new ProcessBuilder(launcher.toString(), "run").redirectErrorStream(true);
        run.environment().put("JAVA_HOME", javaHome.toString());
        run.environment().put("MXGATE_JAVA_OPTS", "-Xmx128m");
        Process process = run.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes()));

        List<String> args = Files.readAllLines(arguments);
        int exitOnOom = args.indexOf("-XX:+ExitOnOutOfMemoryError");
        assertTrue(exitOnOom >= 0, "the launcher must ask the JVM to exit on OutOfMemoryError: " + args);
        assertTrue(args.indexOf("-Xmx128m") > exitOnOom, "MXGATE_JAVA_OPTS come later, so an admin can override: " + args);
        int periodicGc = args.indexOf("-XX:G1PeriodicGCInterval=30000");
        assertTrue(periodicGc >= 0, "the launcher must have a quiet gateway give its grown heap back: " + args);
        assertTrue(args.indexOf("-Xmx128m") > periodicGc, "MXGATE_JAVA_OPTS come later, so an admin can override: " + args);
        assertEquals(List.of("-jar", dir.resolve("home/target/mxgate.jar").toString(), "run"),
                args.subList(args.size() - 3, args.size()));
    }
}
