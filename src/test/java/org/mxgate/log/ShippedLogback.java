package org.mxgate.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import java.nio.file.Path;

/** The shipped {@code logback.xml}, read into a context of its own for a test; the caller stops it. */
final class ShippedLogback {

    private ShippedLogback() {
    }

    /** @param logs the log directory ({@code mxgate.log.dir}) */
    static LoggerContext context(Path logs) throws JoranException {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("mxgate.log.dir", logs.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
        return context;
    }
}
