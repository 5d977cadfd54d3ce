package org.mxgate.config;

import java.nio.file.Path;

/**
 * Where message bodies are kept while their transaction lasts: memory up to a limit, then a file.
 *
 * @param memoryBudget bytes all bodies may hold in memory at once; 0 for a quarter of the JVM's heap
 * @param diskBudget bytes all spool files may hold at once
 */
public record SpoolConfig(int memoryLimit, Path directory, long memoryBudget, long diskBudget) {

    public static final long DEFAULT_DISK_BUDGET = 4L * 1024 * 1024 * 1024;

    public SpoolConfig(int memoryLimit, Path directory) {
        this(memoryLimit, directory, 0, DEFAULT_DISK_BUDGET);
    }

    /** The memory budget in force: as configured, or a quarter of the heap the JVM may use. */
    public long effectiveMemoryBudget() {
        return memoryBudget > 0 ? memoryBudget : Runtime.getRuntime().maxMemory() / 4;
    }
}
