package org.mxgate.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.mxgate.config.ConfigError;
import org.mxgate.config.ConfigException;
import org.mxgate.config.ConfigLoader;
import org.mxgate.config.GatewayConfig;
import org.mxgate.policy.RelaySelfTest;
import org.mxgate.listener.Gateway;
import org.mxgate.listener.Listener;
import org.mxgate.listener.StartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;

/**
 * {@code mxgate run}: the gateway in the foreground until SIGTERM or Ctrl-C, which drain it
 * (Gateway.close) and exit 0. Exits 1, having bound nothing, on a configuration error, and
 * with one line naming the listener and address when a port cannot be bound.
 */
@Command(name = "run", description = "Run the gateway.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    MxgateCommand parent;

    @Mixin
    ConfigOption config;

    @Option(names = "--pid-file", paramLabel = "FILE",
            description = "write the process id to FILE once the listeners are bound; removed at exit")
    Path pidFile;

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig loaded;
        try {
            // Everything is read and checked here, before the first socket is bound (StartupIT).
            loaded = ConfigLoader.load(config.file, RelaySelfTest::run);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println(error);
            }
            return 1;
        }
        return runUntilStopped(parent.starter(), loaded, pidFile);
    }

    /**
     * Starts the gateway, waits for SIGTERM or SIGINT, then drains and closes it: 0, or 1 when it
     * could not start (the reason on standard error, nothing left running).
     *
     * @param pidFile where to write the process id once the listeners are bound, or null
     */
    static int runUntilStopped(GatewayStarter starter, GatewayConfig config, Path pidFile) throws InterruptedException {
        // Handled here rather than in a shutdown hook: after a hook the JVM exits 143, which systemd and
        // container runtimes read as a failure. A drained stop is a success and exits 0 (SigtermIT). Set
        // before the start, so a signal during it stops the gateway as soon as it is up.
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> {
                LOG.info("SIG{}: stopping; transactions in progress have up to shutdown_grace ({} ms) to finish",
                        signal.getName(), config.shutdownGrace().toMillis());
                stop.countDown();
            });
        }
        Gateway gateway;
        try {
            gateway = starter.start(config);
        } catch (StartException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        for (Listener listener : gateway.listeners()) {
            LOG.info("listener {} on {} (policy {})", listener.config().name(), listener.config().listen(),
                    listener.config().policy());
        }
        // SIGHUP reads the policy files and the pools again, as MTAs do (docs/operations.md).
        Signal.handle(new Signal("HUP"), signal -> {
            LOG.info("SIGHUP: reloading policies and pools");
            gateway.reload();
        });
        PidFile pid = null;
        if (pidFile != null) {
            try {
                pid = PidFile.write(pidFile);
            } catch (IOException e) {
                System.err.println("cannot write the pid file " + pidFile + ": " + e);
                gateway.close();
                return 1;
            }
        }
        stop.await();
        gateway.close();
        LOG.info("stopped");
        if (pid != null) {
            try {
                pid.remove();
            } catch (IOException e) {
                LOG.warn("cannot remove the pid file {}: {}", pid.path(), e.toString());
            }
        }
        return 0;
    }
}
