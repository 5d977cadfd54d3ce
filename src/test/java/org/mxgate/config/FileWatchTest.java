package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one file watcher, checked by hand (no thread): a change is reported at once or after one
 * more unchanged check, again until the owner takes it, and never after; a replaced file is a
 * change even with the same size and time; a missing file is watched for its creation.
 */
class FileWatchTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void unchangedFilesAreNoChange() throws Exception {
        FileWatch watch = new FileWatch(List.of(write("a.yml", "a")), 0);
        assertEquals(Optional.empty(), watch.changed());
        assertEquals(Optional.empty(), watch.changed());
    }

    @Test
    void withoutSettlingAChangeIsReportedAtOnceAndUntilTaken() throws Exception {
        Path file = write("cert.pem", "old");
        FileWatch watch = new FileWatch(List.of(file), 0);
        Files.writeString(file, "newer");
        Map<Path, FileStamp> changed = watch.changed().orElseThrow();
        assertEquals(5, changed.get(file).size());
        // A reading that failed (a half-written pair) takes nothing: the next check offers it again.
        assertEquals(Optional.of(changed), watch.changed());
        watch.took(changed);
        assertEquals(Optional.empty(), watch.changed());
    }

    @Test
    void settlingWaitsForOneMoreUnchangedCheck() throws Exception {
        Path file = write("internet.yml", "accept_domains: []\n");
        FileWatch watch = new FileWatch(List.of(file), 1);
        Files.writeString(file, "accept_domains: [exa");
        assertEquals(Optional.empty(), watch.changed(), "just changed: the writer may not be done");
        Files.writeString(file, "accept_domains: [example.test]\n");
        assertEquals(Optional.empty(), watch.changed(), "changed again since the last check");
        Map<Path, FileStamp> settled = watch.changed().orElseThrow();
        assertEquals(Files.size(file), settled.get(file).size());
        // A refused reload still takes the stamps: the same broken files are not read again.
        watch.took(settled);
        assertEquals(Optional.empty(), watch.changed());
        assertEquals(Optional.empty(), watch.changed());
    }

    @Test
    void aFileRenamedOverTheOldOneIsAChangeEvenWithTheSameSizeAndTime() throws Exception {
        Path file = write("mxgate.key", "key-1");
        FileWatch watch = new FileWatch(List.of(file), 0);
        Assumptions.assumeTrue(FileStamp.of(file).fileKey() != null, "this filesystem gives files no identity");
        Path staged = write("staged.key", "key-2");
        Files.setLastModifiedTime(staged, Files.getLastModifiedTime(file));
        Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertTrue(watch.changed().isPresent());
    }

    @Test
    void aMissingFileIsWatchedForItsCreationAndTheOwnerChangesTheSet() throws Exception {
        Path config = write("mxgate.yml", "hostname: a\n");
        Path users = dir.resolve("users.yml");
        FileWatch watch = new FileWatch(List.of(config, users), 0);
        write("users.yml", "alice: {}\n");
        Map<Path, FileStamp> created = watch.changed().orElseThrow();
        assertEquals(FileStamp.MISSING, FileWatch.stamps(List.of(dir.resolve("none.yml"))).get(dir.resolve("none.yml")));
        assertFalse(created.get(users).equals(FileStamp.MISSING));

        // After a reload that named a new file, that file is watched too.
        Path policy = write("internal.yml", "route: mailbox\n");
        watch.took(FileWatch.stamps(List.of(config, users, policy)));
        assertEquals(Optional.empty(), watch.changed());
        Files.delete(policy);
        assertEquals(FileStamp.MISSING, watch.changed().orElseThrow().get(policy));
    }
}
