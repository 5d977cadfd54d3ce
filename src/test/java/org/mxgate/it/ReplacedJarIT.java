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
        Path config = GatewayProcess.writeConfig(dir, "shutdown_grace: 1s\n", port, AdminHttp.freePort(), "", "");
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
