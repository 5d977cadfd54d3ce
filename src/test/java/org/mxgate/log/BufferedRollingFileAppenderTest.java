package org.mxgate.log;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol log's file is written in batches: lines wait in the buffer rather than costing a
 * system call each, reach the file within the flush interval, and are all there once logging
 * stops.
 */
class BufferedRollingFileAppenderTest {

    @TempDir
    Path dir;

    private LoggerContext context(String flushInterval) throws Exception {
        return ShippedLogback.configured("dir", dir.toString(), """
                <configuration>
                  <appender name="FILE" class="org.mxgate.log.BufferedRollingFileAppender">
                    <file>${dir}/protocol.log</file>
                    <flushInterval>%s</flushInterval>
                    <rollingPolicy class="ch.qos.logback.core.rolling.TimeBasedRollingPolicy">
                      <fileNamePattern>${dir}/protocol.%%d{yyyy-MM-dd}.log.gz</fileNamePattern>
                    </rollingPolicy>
                    <encoder><pattern>%%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(flushInterval));
    }

    @Test
    void linesWaitInTheBufferAndAreAllWrittenWhenLoggingStops() throws Exception {
        LoggerContext context = context("1 hour");
        Logger log = context.getLogger("mxgate.protocol");
        for (int i = 0; i < 20; i++) {
            log.info("{\"line\":" + i + "}");
        }
        Path file = dir.resolve("protocol.log");
        assertEquals(0, Files.size(file), "20 short lines are still in the buffer, not one write each");
        context.stop();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(20, lines.size());
        assertEquals("{\"line\":19}", lines.get(19));
    }

    @Test
    void aLineReachesTheFileWithinTheFlushIntervalWithoutStopping() throws Exception {
        LoggerContext context = context("50 milliseconds");
        try {
            context.getLogger("mxgate.protocol").info("{\"event\":\"connect\"}");
            Path file = dir.resolve("protocol.log");
            await().atMost(Duration.ofSeconds(2)).until(() -> Files.readString(file).equals("{\"event\":\"connect\"}\n"));
        } finally {
            context.stop();
        }
    }

    @Test
    void theShippedProtocolLogIsBuffered(@TempDir Path logs) throws Exception {
        LoggerContext context = ShippedLogback.context(logs);
        NonBlockingAppender protocol = (NonBlockingAppender) context.getLogger("mxgate.protocol").getAppender("PROTOCOL");
        ch.qos.logback.core.Appender<ILoggingEvent> file = protocol.getAppender("PROTOCOL_FILE");
        assertEquals(BufferedRollingFileAppender.class, file.getClass());
        assertEquals(false, ((BufferedRollingFileAppender<ILoggingEvent>) file).isImmediateFlush());
        context.stop();
    }
}
