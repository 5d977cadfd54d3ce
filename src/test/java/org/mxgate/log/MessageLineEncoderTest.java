package org.mxgate.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageLineEncoderTest {

    @Test
    void writesWhatThePatternMsgNewlineWrites() {
        LoggerContext context = new LoggerContext();
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setContext(context);
        pattern.setPattern("%msg%n");
        pattern.setCharset(StandardCharsets.UTF_8);
        pattern.start();
        MessageLineEncoder lines = new MessageLineEncoder();
        lines.setContext(context);
        lines.start();
        String batch = "{\"event\":\"command\",\"command\":\"MAIL FROM:<jos\u00e9@b\u00fccher.test>\"}"
                + System.lineSeparator() + "{\"event\":\"reply\",\"reply\":\"250 2.1.0 Ok \u2713\"}";
        for (String message : new String[] {batch, "", "x".repeat(70_000)}) {
            ILoggingEvent event = new LoggingEvent("test", context.getLogger("mxgate.protocol"), Level.INFO, message,
                    null, null);
            assertArrayEquals(pattern.encode(event), lines.encode(event));
        }
        context.stop();
    }

    @Test
    void theShippedProtocolLogUsesIt(@TempDir Path logs) throws Exception {
        LoggerContext context = ShippedLogback.context(logs);
        NonBlockingAppender protocol = (NonBlockingAppender) context.getLogger("mxgate.protocol").getAppender("PROTOCOL");
        BufferedRollingFileAppender<ILoggingEvent> file =
                (BufferedRollingFileAppender<ILoggingEvent>) protocol.getAppender("PROTOCOL_FILE");
        assertEquals(MessageLineEncoder.class, file.getEncoder().getClass());
        context.stop();
    }
}
