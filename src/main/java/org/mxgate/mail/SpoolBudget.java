package org.mxgate.mail;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What all message bodies of the process may hold at once: bytes in memory, the rest in spool
 * files, each within its budget. A body that finds memory spent goes to a file; one that finds
 * the disk budget spent cannot be kept, so its message is refused (452 4.3.1) rather than the
 * gateway running out of heap or disk; and while the disk budget is nearly spent, new
 * transactions are refused at MAIL, as a backend under back pressure refuses them
 * (OverloadIT). Thread-safe: every event loop's bodies share one.
 */
public final class SpoolBudget {

    /** No limits: for tests and tools that keep one body at a time. */
    public static final SpoolBudget UNLIMITED = new SpoolBudget(Long.MAX_VALUE, Long.MAX_VALUE);

    private final long memoryBudget;
    private final long diskBudget;
    private final AtomicLong memory = new AtomicLong();
    private final AtomicLong disk = new AtomicLong();

    public SpoolBudget(long memoryBudget, long diskBudget) {
        this.memoryBudget = memoryBudget;
        this.diskBudget = diskBudget;
    }

    /** Takes {@code bytes} of the memory budget if they fit. */
    boolean takeMemory(long bytes) {
        return take(memory, memoryBudget, bytes);
    }

    void returnMemory(long bytes) {
        memory.addAndGet(-bytes);
    }

    /** Takes {@code bytes} of the disk budget if they fit. */
    boolean takeDisk(long bytes) {
        return take(disk, diskBudget, bytes);
    }

    void returnDisk(long bytes) {
        disk.addAndGet(-bytes);
    }

    /** True while less than a tenth of the disk budget is left: no new transaction should start. */
    public boolean isNearlySpent() {
        return disk.get() > diskBudget - diskBudget / 10;
    }

    public long memoryInUse() {
        return memory.get();
    }

    public long diskInUse() {
        return disk.get();
    }

    public long memoryBudget() {
        return memoryBudget;
    }

    public long diskBudget() {
        return diskBudget;
    }

    private static boolean take(AtomicLong used, long budget, long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > budget) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }
}
