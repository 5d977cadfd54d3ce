package org.mxgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pid file: this process's id, a stale file replaced, and only our own file removed. */
class PidFileTest {

    @Test
    void writesThisProcessIdOverAStaleFileAndRemovesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mxgate.pid");
        Files.writeString(file, "99999999\n");

        PidFile pid = PidFile.write(file);
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left beside it");
        }
        pid.remove();
        assertFalse(Files.exists(file));
        pid.remove();
    }

    @Test
    void leavesAFileAnotherProcessHasWrittenSince(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mxgate.pid");
        PidFile pid = PidFile.write(file);
        Files.writeString(file, "12345\n");
        pid.remove();
        assertTrue(Files.exists(file), "another instance's pid file is not ours to remove");
    }
}
