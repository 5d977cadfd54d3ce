package org.mxgate.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shipped {@code logback.xml}, or another configuration, read into a context of its own for a
 * test; the caller stops it.
 */
final class ShippedLogback {

    private ShippedLogback() {
    }

    /** @param logs the log directory ({@code mxgate.log.dir}) */
    static LoggerContext context(Path logs) throws JoranException, IOException {
        try (InputStream xml = Files.newInputStream(Path.of("src/main/resources/logback.xml"))) {
            return configured("mxgate.log.dir", logs.toString(), xml);
        }
    }

    /** A context configured from {@code xml}, with {@code property} set to {@code value} first. */
    static LoggerContext configured(String property, String value, String xml) throws JoranException {
        return configured(property, value, new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static LoggerContext configured(String property, String value, InputStream xml) throws JoranException {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty(property, value);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(xml);
        return context;
    }
}
