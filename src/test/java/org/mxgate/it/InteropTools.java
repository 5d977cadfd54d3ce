package org.mxgate.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What interop tests share: whether a program is there (so a test can skip with the reason),
 * free loopback ports, and running a program with a time limit.
 */
final class InteropTools {

    private InteropTools() {
    }

    /** Why the program cannot be used here, or null when it can. */
    static String missing(String program) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return null;
            }
        }
        return program + " not installed (.ci/install-interop-tools installs it)";
    }

    /** Private Postfix instances need the postfix program and root (master drops to the postfix user). */
    static String postfixMissing() {
        String missing = missing("postfix");
        if (missing != null) {
            return missing;
        }
        return "root".equals(System.getProperty("user.name")) ? null : "a private Postfix instance needs root";
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isListening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    record Output(int exitCode, String text) {
    }

    /** Runs a program to its end (stdout and stderr together), failing the test if it outlives the limit. */
    static Output run(Duration limit, byte[] stdin, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), out));
        reader.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + limit + ":\n" + out);
        }
        reader.join(5000);
        return new Output(process.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    static Output run(Duration limit, String... command) throws IOException, InterruptedException {
        return run(limit, null, command);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // The process went away; what was read so far is the output.
        }
    }
}
