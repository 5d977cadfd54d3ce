package org.mxgate.log;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxgate.mail.InstanceId;

/** The shipped logback.xml shows the instance id after the level: "-" until a gateway names it. */
class ApplicationLogTest {

    @Test
    void theShippedPatternShowsTheInstance(@TempDir Path logs) throws Exception {
        LoggerContext context = ShippedLogback.context(logs);
        Logger logger = context.getLogger("org.mxgate.Main");
        NonBlockingAppender app = (NonBlockingAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("APP");
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) app.getAppender("CONSOLE");

        String before = line(console, logger);
        assertTrue(before.contains(" INFO  - [main] org.mxgate.Main - listening"), before);
        ApplicationLog.nameInstance(context, new InstanceId("mx1"));
        String after = line(console, logger);
        assertTrue(after.contains(" INFO  mx1 [main] org.mxgate.Main - listening"), after);
        context.stop();
    }

    private static String line(OutputStreamAppender<ILoggingEvent> console, Logger logger) {
        LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, Level.INFO, "listening", null, null);
        event.setThreadName("main");
        return new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
    }
}
