package org.mxgate.log;

import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.util.Duration;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The protocol log's file: Logback's rolling file appender, buffered (Logback's
 * {@code bufferSize}, 8 KB) instead of one system call for each line (six per relayed message,
 * half of all the writes the gateway made), and flushed every {@code flushInterval} (100 ms),
 * at each rollover and when logging stops. A line therefore reaches the file at most that long
 * after it was logged; a process killed outright (SIGKILL, or the exit on OutOfMemoryError) can
 * lose that much of the log, never mail (docs/operations.md).
 */
public final class BufferedRollingFileAppender<E> extends RollingFileAppender<E> {

    private Duration flushInterval = Duration.buildByMilliseconds(100);
    private ScheduledExecutorService flusher;

    public void setFlushInterval(Duration interval) {
        this.flushInterval = interval;
    }

    @Override
    public void start() {
        setImmediateFlush(false);
        super.start();
        flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "mxgate-log-flush-" + getName());
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, flushInterval.getMilliseconds());
        flusher.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
    }

    /** Writes out what the buffer holds now. */
    void flush() {
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            if (out != null && isStarted()) {
                out.flush();
            }
        } catch (IOException e) {
            addError("cannot flush " + getFile(), e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        // Closing the stream writes out the buffer.
        super.stop();
    }
}
