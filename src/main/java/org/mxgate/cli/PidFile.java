package org.mxgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code run --pid-file}: this process's id, written whole (a reader never sees half a number)
 * once the listeners are bound, and removed at exit unless another process has written its own
 * id there since.
 */
final class PidFile {

    private final Path file;
    private final String content;

    private PidFile(Path file, String content) {
        this.file = file;
        this.content = content;
    }

    /** Writes this process's id to {@code file}, replacing a stale one; a new name, then a rename. */
    static PidFile write(Path file) throws IOException {
        String content = ProcessHandle.current().pid() + "\n";
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        try {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return new PidFile(absolute, content);
    }

    Path path() {
        return file;
    }

    /** Removes the file if it still holds this process's id. */
    void remove() throws IOException {
        try {
            if (Files.readString(file, StandardCharsets.US_ASCII).equals(content)) {
                Files.delete(file);
            }
        } catch (NoSuchFileException gone) {
            // Removed by someone else already: nothing to do.
        }
    }
}
