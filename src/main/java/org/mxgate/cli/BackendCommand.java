package org.mxgate.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.mxgate.admin.PathSegment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mxgate backend drain|halt|enable POOL/NAME}: the status page's buttons for scripts and
 * people on the host, through the running gateway's admin API with the token of its config.
 * Exit 0 when done, 1 when the gateway refused, 2 when the config does not say how to ask it,
 * 3 when no gateway answers.
 */
@Command(name = "backend", description = {"Drain, halt or enable a backend of the running gateway.",
    "drain: no new transactions, those in flight finish; halt: the same, and its idle connections close;"
        + " enable: back in rotation."})
final class BackendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "drain|halt|enable", description = "what to do")
    String action;

    @Parameters(index = "1", paramLabel = "POOL/NAME", description = "the backend, e.g. mailbox/mx1")
    String target;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("drain", "halt", "enable").contains(action)) {
            throw new ParameterException(spec.commandLine(), "expected drain, halt or enable; got '" + action + "'");
        }
        int slash = target.indexOf('/');
        if (slash <= 0 || slash == target.length() - 1) {
            throw new ParameterException(spec.commandLine(), "name the backend as POOL/NAME, e.g. mailbox/mx1; got '"
                    + target + "'");
        }
        String pool = target.substring(0, slash);
        String name = target.substring(slash + 1);
        try {
            AdminClient client = AdminClient.of(config.file);
            AdminClient.Answer answer = client.post("/api/backends/" + PathSegment.encode(pool) + "/"
                    + PathSegment.encode(name) + "/" + action + "?format=text");
            if (answer.status() != 200) {
                throw answer.status() == 404 ? new AdminClient.Failure(AdminClient.REFUSED, answer.body().strip())
                        : client.refusal(answer);
            }
            spec.commandLine().getOut().print(answer.body());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (AdminClient.Failure e) {
            err.println("mxgate: " + e.getMessage());
            return e.exitCode();
        }
    }
}
