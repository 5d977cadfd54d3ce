package org.mxgate.cli;

import java.util.concurrent.Callable;
import org.mxgate.config.ConfigError;
import org.mxgate.config.ConfigException;
import org.mxgate.config.ConfigLoader;
import org.mxgate.config.GatewayConfig;
import org.mxgate.policy.RelaySelfTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mxgate check}: validates the config and its policy files; prints {@code file:line: reason}, exits 1 on any. */
@Command(name = "check", description = "Validate the configuration and policy files.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        try {
            GatewayConfig loaded = ConfigLoader.load(config.file, RelaySelfTest::run);
            System.out.printf("%s: ok (%d listeners, %d pools, %d policies)%n", loaded.file(),
                    loaded.listeners().size(), loaded.pools().size(), loaded.policies().size());
            return 0;
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println(error);
            }
            return 1;
        }
    }
}
