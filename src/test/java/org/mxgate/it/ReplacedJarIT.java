package org.mxgate.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose jar was rewritten in place under it (an admin's {@code mvn package} in the
 * running installation) cannot load the classes its stop needs. It must still end when told to
 * stop (with a failure status when the stop failed) rather than hang on its I/O threads until
 * SIGKILL.
 */
class ReplacedJarIT {

    @TempDir
    Path dir;

    @Test
    void aGatewayWhoseJarWasRewrittenUnderItStillEndsOnSigterm() throws Exception {
        Path jar = Files.copy(Path.of("target/mxgate.jar").toAbsolutePath(), dir.resolve("mxgate.jar"));
        LauncherHome.create(dir.resolve("home"), jar);
        int port = AdminHttp.freePort();
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Path config = Files.writeString(dir.resolve("conf/mxgate.yml"), """
                hostname: mx.example.test
                shutdown_grace: 1s
                listeners:
                  - { name: internet, listen: "127.0.0.1:%d", policy: internet }
                pools:
                  mailbox:
                    servers: [{ name: mx1, address: "127.0.0.1:%d" }]
                """.formatted(port, AdminHttp.freePort()));
        Files.writeString(dir.resolve("policies/internet.yml"), "accept_domains: [example.test]\nroute: mailbox\n");
        try (GatewayProcess gateway = GatewayProcess.run(dir, config, Map.of())) {
            gateway.awaitGreeting(port);
            // Rewritten in place, as a build does: the same file, other bytes.
            Files.write(jar, new byte[] {'P', 'K'}, StandardOpenOption.TRUNCATE_EXISTING);
            gateway.signal("TERM");
            // Whatever the stop managed (its status says), the process ends.
            gateway.awaitExit(Duration.ofSeconds(30));
        }
    }
}
