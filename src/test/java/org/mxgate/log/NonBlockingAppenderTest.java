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
 * thousand lines return at once, all but the queue's worth dropped and counted. Lines are
 * written on the appender's own thread, and the shipped logback.xml sends every logger through
 * such an appender.
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
        NonBlockingAppender appender = new NonBlockingAppender();
        appender.setQueueSize(8);
        Logger logger = logThrough(context, "mxgate.protocol", appender, "PROTOCOL", stuck);

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

    /** A logger of {@code context} that writes only through {@code appender}, started with {@code child} attached. */
    private static Logger logThrough(LoggerContext context, String loggerName, NonBlockingAppender appender,
            String name, AppenderBase<ILoggingEvent> child) {
        child.setContext(context);
        child.start();
        appender.setContext(context);
        appender.setName(name);
        appender.addAppender(child);
        appender.start();
        Logger logger = context.getLogger(loggerName);
        logger.setAdditive(false);
        logger.addAppender(appender);
        return logger;
    }

    private static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    /** Records each line with the name of the thread that wrote it. */
    private static final class RecordingAppender extends AppenderBase<ILoggingEvent> {
        final List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            written.add(event.getFormattedMessage() + " by " + Thread.currentThread().getName()
                    + " for " + event.getThreadName());
        }
    }

    @Test
    void aLineIsWrittenOnTheWriterThreadWithTheLoggingThreadsName() throws Exception {
        LoggerContext context = newContext();
        RecordingAppender recording = new RecordingAppender();
        NonBlockingAppender appender = new NonBlockingAppender();
        Logger logger = logThrough(context, "org.mxgate", appender, "APP", recording);

        logger.info("hello");
        // Picked up at the writer's next look, NonBlockingAppender.IDLE_PARK_MILLIS at most after the line.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> !recording.written.isEmpty());
        assertEquals(List.of("hello by mxgate-log-APP for " + Thread.currentThread().getName()), recording.written);

        logger.info("last");
        appender.stop();
        assertEquals(2, recording.written.size(), "a line queued before stop is written: " + recording.written);
        assertTrue(!recording.isStarted(), "stopping it stops the appenders attached to it");
        context.stop();
    }

    @Test
    void withoutAnAttachedAppenderItDoesNotStart() {
        NonBlockingAppender appender = new NonBlockingAppender();
        appender.setContext(newContext());
        appender.start();
        assertTrue(!appender.isStarted());
    }
}
