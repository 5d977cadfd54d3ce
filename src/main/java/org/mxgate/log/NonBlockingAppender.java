package org.mxgate.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * Hands log lines to the appenders attached to it on a writer thread of its own, without ever
 * waiting or waking anyone: an I/O thread that logs while the queue is full (a slow disk, a
 * stuck console, a writer that died) drops the line and counts it instead of blocking every
 * session on that thread (NonBlockingAppenderTest), and a line queued is picked up by the
 * writer's next look, at most {@link #IDLE_PARK_MILLIS} later. Logback's AsyncAppender woke its
 * writer for each event: with a few events per message, that was most of the gateway's context
 * switches (docs/performance.md). Every logger of the shipped {@code logback.xml} writes through
 * one of these (NonBlockingAppenderTest).
 */
public final class NonBlockingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {

    /** How long the writer sleeps when it found the queue empty: the most a line waits there. */
    static final long IDLE_PARK_MILLIS = 10;
    private static final int BATCH = 512;
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong reportedAt = new AtomicLong(System.nanoTime() - REPORT_INTERVAL_NANOS);
    private long reportedCount;
    private int queueSize = 256;
    private int maxFlushTime = 1000;
    private ArrayBlockingQueue<ILoggingEvent> queue;
    private Thread writer;

    /** Lines the queue holds; past it, lines are dropped and counted. */
    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public int getQueueSize() {
        return queueSize;
    }

    /** At stop, how long the writer may take to write out what is still queued, in milliseconds. */
    public void setMaxFlushTime(int maxFlushTime) {
        this.maxFlushTime = maxFlushTime;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (!appenders.iteratorForAppenders().hasNext()) {
            addError("no appender attached to " + getName() + ": nothing would be written");
            return;
        }
        if (queueSize < 1) {
            addError("queueSize of " + getName() + " must be at least 1, got " + queueSize);
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        writer = new Thread(this::write, "mxgate-log-" + getName());
        writer.setDaemon(true);
        super.start();
        writer.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // The thread name, the message and the MDC, taken now: the writer is another thread.
        event.prepareForDeferredProcessing();
        if (!queue.offer(event)) {
            reportNow(dropped.incrementAndGet());
        }
    }

    private void write() {
        List<ILoggingEvent> batch = new ArrayList<>(BATCH);
        while (isStarted()) {
            if (queue.drainTo(batch, BATCH) == 0) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MILLIS));
            } else {
                appendAll(batch);
            }
        }
        while (queue.drainTo(batch, BATCH) > 0) {
            appendAll(batch);
        }
        appenders.detachAndStopAllAppenders();
    }

    private void appendAll(List<ILoggingEvent> batch) {
        for (ILoggingEvent event : batch) {
            appenders.appendLoopOnAppenders(event);
        }
        batch.clear();
    }

    /** Writes out what is still queued, for up to {@code maxFlushTime}, and stops the attached appenders. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        LockSupport.unpark(writer);
        try {
            writer.join(maxFlushTime);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            addWarn(getName() + ": " + queue.size() + " lines still queued after " + maxFlushTime
                    + " ms, left to the writer thread");
        }
    }

    /** Lines dropped because the queue was full, since start. */
    public long droppedCount() {
        return dropped.get();
    }

    /**
     * At most once a minute, through the application log (itself non-blocking: if it is full
     * too, this line is dropped and counted there). Two threads racing for the last free slot can
     * drop one more line than counted; that is the whole error.
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
                        + "the log cannot be written as fast as mail arrives", getName(), since, queueSize, total);
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

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
