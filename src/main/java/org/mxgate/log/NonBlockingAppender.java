package org.mxgate.log;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Logback's asynchronous appender, set never to wait: an I/O thread that logs while the queue is
 * full (a slow disk, a stuck console, a writer thread that died) drops the line and counts it
 * instead of blocking every session on that thread (NonBlockingAppenderTest). Every logger of the
 * shipped {@code logback.xml} writes through one of these (LoggingConfigTest).
 */
public final class NonBlockingAppender extends AsyncAppender {

    private static final long REPORT_INTERVAL_NANOS = 60_000_000_000L;

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong reportedAt = new AtomicLong(System.nanoTime() - REPORT_INTERVAL_NANOS);
    private long reportedCount;

    public NonBlockingAppender() {
        setNeverBlock(true);
        // Below one free slot, that is with a full queue, every event goes to isDiscardable.
        setDiscardingThreshold(1);
    }

    @Override
    public void setNeverBlock(boolean ignored) {
        super.setNeverBlock(true);
    }

    @Override
    public void setDiscardingThreshold(int ignored) {
        super.setDiscardingThreshold(1);
    }

    /**
     * Called for each event while the queue is full: it is dropped. Two threads racing for the
     * last free slot can drop one more line than counted; that is the whole error.
     */
    @Override
    protected boolean isDiscardable(ILoggingEvent event) {
        long total = dropped.incrementAndGet();
        reportNow(total);
        return true;
    }

    /** Lines dropped because the queue was full, since start. */
    public long droppedCount() {
        return dropped.get();
    }

    /**
     * At most once a minute, through the application log (itself non-blocking: if it is full
     * too, this line is dropped and counted there).
     */
    private void reportNow(long total) {
        long last = reportedAt.get();
        long now = System.nanoTime();
        if (now - last < REPORT_INTERVAL_NANOS || !reportedAt.compareAndSet(last, now)) {
            return;
        }
        long since = total - reportedCount;
        reportedCount = total;
        LoggerFactory.getLogger(NonBlockingAppender.class).warn(
                "log appender {}: {} lines dropped because its queue of {} was full ({} since start); "
                        + "the log cannot be written as fast as mail arrives", getName(), since, getQueueSize(), total);
    }

    /**
     * Stops logging, writing out what is still queued (up to the appenders' flush time). Call
     * it last, just before the JVM exits, or queued lines are lost with it.
     */
    public static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
