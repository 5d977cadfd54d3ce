package org.mxgate.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log that cannot be written never stops the thread that logs: with the writer stuck, a
 * thousand lines return at once, all but the queue's worth dropped and counted. And the
 * shipped logback.xml sends every logger through such an appender.
 */
class NonBlockingAppenderTest {

    /** Stands for a disk or console that stopped taking lines, or a writer thread that died. */
    private static final class StuckAppender extends AppenderBase<ILoggingEvent> {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> written = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (written) {
                written.add(event.getFormattedMessage());
            }
        }
    }

    @Test
    void aFullQueueDropsAndCountsLinesInsteadOfWaiting() throws Exception {
        LoggerContext context = newContext();
        StuckAppender stuck = new StuckAppender();
        stuck.setContext(context);
        stuck.start();
        NonBlockingAppender appender = new NonBlockingAppender();
        appender.setContext(context);
        appender.setName("PROTOCOL");
        appender.setQueueSize(8);
        appender.addAppender(stuck);
        appender.start();
        Logger logger = context.getLogger("mxgate.protocol");
        logger.setAdditive(false);
        logger.addAppender(appender);

        int lines = 1000;
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < lines; i++) {
                logger.info("line {}", i);
            }
        }, "an I/O thread must never wait for the log");
        // The queue holds 8, the stuck worker whatever it had drained before it stuck; the rest were dropped.
        long dropped = appender.droppedCount();
        assertTrue(dropped >= lines - 100 && dropped <= lines - 8, "dropped and counted: " + dropped);

        stuck.release.countDown();
        appender.stop();
        synchronized (stuck.written) {
            assertEquals(lines - dropped, stuck.written.size(), "every line is either written or counted as dropped");
            assertEquals("line 0", stuck.written.get(0));
        }
        context.stop();
    }

    @Test
    void theShippedConfigurationLogsOnlyThroughNonBlockingAppenders(@TempDir Path logs) throws Exception {
        LoggerContext context = ShippedLogback.context(logs);
        int attached = 0;
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> appender = it.next();
                assertInstanceOf(NonBlockingAppender.class, appender,
                        "logger " + logger.getName() + " writes through " + appender.getName() + " and could block");
                attached++;
            }
        }
        assertEquals(2, attached, "the application log and the protocol log");
        context.stop();
    }

    private static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    @Test
    void settingsCannotMakeItBlock() {
        NonBlockingAppender appender = new NonBlockingAppender();
        appender.setNeverBlock(false);
        appender.setDiscardingThreshold(0);
        assertTrue(appender.isNeverBlock());
        assertEquals(1, appender.getDiscardingThreshold());
    }
}
