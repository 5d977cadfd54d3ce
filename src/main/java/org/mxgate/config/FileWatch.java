package org.mxgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Files watched by their {@link FileStamp}s: the one watcher behind the policy reload and the
 * certificate reload. {@link #changed()} says when the files differ from those the owner holds,
 * once they have stayed the same for {@code settle} checks in a row; the owner reads them and
 * tells the watch which stamps it holds now ({@link #took}). Checks run on one daemon thread
 * ({@link #start}) or when the owner asks. Never reads a file's contents: that is the owner's job.
 */
public final class FileWatch implements AutoCloseable {

    private final int settle;
    private final AtomicReference<ScheduledExecutorService> thread = new AtomicReference<>();
    // Guarded by this.
    private Map<Path, FileStamp> held;
    private Map<Path, FileStamp> seen;
    private int unchangedChecks;

    /**
     * Watches {@code files} as they are now.
     *
     * @param settle checks a change must stay the same for before it is reported: 0 reports it at
     *               once, 1 waits for one more check, so a file caught half-written is read when the
     *               writer is done
     */
    public FileWatch(Collection<Path> files, int settle) {
        this.settle = settle;
        took(stamps(files));
    }

    /** The files' stamps now, when they differ from those the owner holds and have settled. */
    public synchronized Optional<Map<Path, FileStamp>> changed() {
        Map<Path, FileStamp> now = stamps(held.keySet());
        unchangedChecks = now.equals(seen) ? unchangedChecks + 1 : 0;
        seen = now;
        return now.equals(held) || unchangedChecks < settle ? Optional.empty() : Optional.of(now);
    }

    /** The owner now holds the files as these stamps show them; the files watched become these. */
    public synchronized void took(Map<Path, FileStamp> stamps) {
        held = Map.copyOf(stamps);
        seen = held;
        unchangedChecks = 0;
    }

    /** What these files look like now, each one {@link FileStamp#MISSING} while it does not exist. */
    public static Map<Path, FileStamp> stamps(Collection<Path> files) {
        Map<Path, FileStamp> stamps = new LinkedHashMap<>();
        files.forEach(file -> stamps.put(file, FileStamp.of(file)));
        return stamps;
    }

    /**
     * Runs {@code check} every {@code interval} on one daemon thread, until {@link #close()}. The
     * check must not throw: an exception would cancel every later run.
     */
    public void start(String threadName, Duration interval, Runnable check) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            return t;
        });
        if (!thread.compareAndSet(null, executor)) {
            executor.shutdownNow();
            throw new IllegalStateException("already watching " + watched());
        }
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(check, millis, millis, TimeUnit.MILLISECONDS);
    }

    private synchronized Set<Path> watched() {
        return held.keySet();
    }

    @Override
    public void close() {
        ScheduledExecutorService executor = thread.getAndSet(null);
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
