package org.mxgate.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.mxgate.config.ConfigError;
import org.mxgate.config.ConfigException;
import org.mxgate.config.ConfigLoader;
import org.mxgate.config.GatewayConfig;
import org.mxgate.policy.RelaySelfTest;
import org.mxgate.listener.Gateway;
import org.mxgate.listener.Listener;
import org.mxgate.log.NonBlockingAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;

/** {@code mxgate run}: the gateway in the foreground until it is stopped (SIGTERM or Ctrl-C). */
@Command(name = "run", description = "Run the gateway.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    MxgateCommand parent;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig loaded;
        try {
            loaded = ConfigLoader.load(config.file, RelaySelfTest::run);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println(error);
            }
            return 1;
        }
        runUntilStopped(parent.starter(), loaded);
        return 0;
    }

    static void runUntilStopped(GatewayStarter starter, GatewayConfig config) throws InterruptedException {
        Gateway gateway = starter.start(config);
        for (Listener listener : gateway.listeners()) {
            LOG.info("listener {} on {} (policy {})", listener.config().name(), listener.config().listen(),
                    listener.config().policy());
        }
        // SIGHUP reads the policy files and the pools again, as MTAs do (docs/operations.md).
        Signal.handle(new Signal("HUP"), signal -> {
            LOG.info("SIGHUP: reloading policies and pools");
            gateway.reload();
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            gateway.close();
            LOG.info("stopped");
            NonBlockingAppender.stopLogging();
            stopped.countDown();
        }, "mxgate-shutdown"));
        stopped.await();
    }
}
