package org.mxgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mxgate} command and its subcommands. */
@Command(name = "mxgate", mixinStandardHelpOptions = true, version = "mxgate 0.1.0",
        description = "SMTP-aware relay proxy and mail gateway.",
        subcommands = {RunCommand.class, DemoCommand.class, CheckCommand.class, ExplainCommand.class,
                PasswdCommand.class, StatusCommand.class, BackendCommand.class})
public final class MxgateCommand implements Runnable {

    private final GatewayStarter starter;

    public MxgateCommand(GatewayStarter starter) {
        this.starter = starter;
    }

    GatewayStarter starter() {
        return starter;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
