package org.mxgate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The smallest valid configuration, for tests of the loader and of what reads it: one internet
 * listener, one pool of one server, and a policy accepting example.test.
 */
public final class ConfigFiles {

    public static final String MINIMAL = """
            listeners:
              - { name: internet, listen: 127.0.0.1:2525 }
            pools:
              mailbox:
                servers:
                  - { address: 127.0.0.1:3025 }
            """;
    public static final String MINIMAL_POLICY = "accept_domains: [example.test]\n";

    private ConfigFiles() {
    }

    /** Writes {@code conf/mxgate.yml} ({@link #MINIMAL} and then {@code more}) and the policy under {@code dir}; the conf's path. */
    public static Path writeMinimal(Path dir, String more) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("policies/internet.yml"), MINIMAL_POLICY);
        return Files.writeString(dir.resolve("conf/mxgate.yml"), MINIMAL + more);
    }
}
