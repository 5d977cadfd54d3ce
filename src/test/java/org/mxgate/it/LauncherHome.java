package org.mxgate.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A copy of {@code bin/mxgate} in a home of its own without a {@code pom.xml}, so the launcher
 * runs the jar it is given and never starts a Maven build from inside a test.
 */
final class LauncherHome {

    private LauncherHome() {
    }

    /** @param jar the jar to run as {@code target/mxgate.jar}, or null for none */
    static Path create(Path home, Path jar) throws IOException {
        Path launcher = home.resolve("bin/mxgate");
        Files.createDirectories(launcher.getParent());
        Files.copy(Path.of("bin/mxgate"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (jar != null) {
            Files.createDirectories(home.resolve("target"));
            Files.createSymbolicLink(home.resolve("target/mxgate.jar"), jar.toAbsolutePath());
        }
        return launcher;
    }
}
