package org.mxgate.relay;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.mxgate.mail.MessageBody;
import org.mxgate.mail.SpoolBudget;

/**
 * Where transaction bodies are kept (memory up to {@code memoryLimit} and while the process's
 * budget lasts, then a file of their own in {@code directory}), and the few threads that read
 * spooled bodies back for a replay, so no file is read on an event loop.
 */
public record Spool(int memoryLimit, Path directory, Executor reader, SpoolBudget budget) {

    MessageBody newBody() {
        return new MessageBody(memoryLimit, directory, budget);
    }
}
