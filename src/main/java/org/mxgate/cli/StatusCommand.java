package org.mxgate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mxgate status}: the running gateway's health, listeners and backends as a text table,
 * from its admin listener. Exit 0 when it answered, 2 when the config does not say how to ask
 * it, 3 when no gateway answers.
 */
@Command(name = "status", description = "Show the running gateway's health, listeners and backends.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        try {
            AdminClient client = AdminClient.of(config.file);
            AdminClient.Answer answer = client.get("/api/status?format=text");
            if (answer.status() != 200) {
                throw client.refusal(answer);
            }
            spec.commandLine().getOut().print(answer.body());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (AdminClient.Failure e) {
            spec.commandLine().getErr().println("mxgate: " + e.getMessage());
            return e.exitCode();
        }
    }
}
