package org.mxgate.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MessageBody keeps a body in memory up to its limit and in a temporary file of its own above
 * it; either way it gives back the same bytes on every pass (a replay on another backend), and
 * close() leaves no file behind.
 */
class MessageBodyTest {

    @TempDir
    Path spool;

    @Test
    void staysInMemoryUpToTheLimit() throws IOException {
        byte[] data = bytes(100, 1);
        try (MessageBody body = new MessageBody(100, spool)) {
            body.append(ByteBuffer.wrap(data, 0, 60));
            body.append(ByteBuffer.wrap(data, 60, 40));
            assertFalse(body.isSpooled());
            assertEquals(100, body.size());
            assertEquals(List.of(), files());
            assertArrayEquals(data, read(body));
        }
    }

    @Test
    void spillsToItsOwnFileAboveTheLimit() throws IOException {
        byte[] data = bytes(101, 2);
        try (MessageBody body = new MessageBody(100, spool)) {
            body.append(ByteBuffer.wrap(data, 0, 60));
            assertFalse(body.isSpooled());
            body.append(ByteBuffer.wrap(data, 60, 41));
            assertTrue(body.isSpooled());
            assertEquals(101, body.size());
            assertArrayEquals(data, read(body));
        }
    }

    @Test
    void spillGoesToTheSpoolDirectory() {
        try (MessageBody body = new MessageBody(10, spool.resolve("missing"))) {
            body.append(ByteBuffer.wrap(bytes(10, 8)));
            assertThrows(UncheckedIOException.class, () -> body.append(ByteBuffer.wrap(bytes(1, 9))));
        }
    }

    @Test
    void largeSpooledBodyReadsBackIdenticallyOnEveryPass() throws IOException {
        byte[] data = bytes(300_000, 3);
        Random sizes = new Random(4);
        try (MessageBody body = new MessageBody(1024, spool)) {
            int at = 0;
            while (at < data.length) {
                int n = Math.min(data.length - at, 1 + sizes.nextInt(20_000));
                body.append(ByteBuffer.wrap(data, at, n));
                at += n;
            }
            assertTrue(body.isSpooled());
            assertEquals(data.length, body.size());
            assertArrayEquals(data, read(body));
            assertArrayEquals(data, read(body), "a second pass for a replay");
        }
    }

    @Test
    void memoryBodyReadsBackIdenticallyOnEveryPass() throws IOException {
        byte[] data = bytes(5000, 5);
        try (MessageBody body = new MessageBody(1 << 20, spool)) {
            for (int at = 0; at < data.length; at += 7) {
                body.append(ByteBuffer.wrap(data, at, Math.min(7, data.length - at)));
            }
            assertArrayEquals(data, read(body));
            assertArrayEquals(data, read(body), "a second pass for a replay");
        }
    }

    @Test
    void keepsACopyNotTheCallersBuffer() throws IOException {
        byte[] data = bytes(10, 6);
        byte[] original = data.clone();
        try (MessageBody body = new MessageBody(100, spool)) {
            body.append(ByteBuffer.wrap(data));
            data[0] ^= 0x7F;
            assertArrayEquals(original, read(body));
        }
    }

    @Test
    void aReadByPositionCarriesOnAcrossTheSpillToAFile() throws IOException {
        byte[] data = bytes(300, 11);
        try (MessageBody body = new MessageBody(150, spool)) {
            body.append(ByteBuffer.wrap(data, 0, 100));
            ByteBuffer first = ByteBuffer.allocate(60);
            assertEquals(60, body.read(0, first));
            assertFalse(body.isSpooled());
            body.append(ByteBuffer.wrap(data, 100, 200));
            assertTrue(body.isSpooled(), "the rest arrived while the first part was being read");
            ByteBuffer rest = ByteBuffer.allocate(400);
            assertEquals(240, body.read(60, rest), "only what was kept, from where the reader stood");
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(first.array(), 0, 60);
            all.write(rest.array(), 0, 240);
            assertArrayEquals(data, all.toByteArray());
        }
    }

    @Test
    void bodiesShareTheMemoryBudgetAndGoToFilesWhenItIsSpent() throws IOException {
        SpoolBudget budget = new SpoolBudget(100, 10_000);
        try (MessageBody first = new MessageBody(1000, spool, budget);
             MessageBody second = new MessageBody(1000, spool, budget)) {
            assertTrue(first.append(ByteBuffer.wrap(bytes(80, 1))));
            assertFalse(first.isSpooled());
            assertEquals(80, budget.memoryInUse());
            assertTrue(second.append(ByteBuffer.wrap(bytes(50, 2))), "kept, though not in memory");
            assertTrue(second.isSpooled(), "20 bytes of memory left: the second body went to its file");
            assertEquals(80, budget.memoryInUse());
            assertEquals(50, budget.diskInUse());
            assertArrayEquals(bytes(50, 2), read(second));
        }
        assertEquals(0, budget.memoryInUse(), "closing gives the budget back");
        assertEquals(0, budget.diskInUse());
    }

    @Test
    void aBodyThatTheDiskBudgetCannotHoldIsNotKept() throws IOException {
        SpoolBudget budget = new SpoolBudget(0, 1000);
        try (MessageBody body = new MessageBody(0, spool, budget)) {
            assertTrue(body.append(ByteBuffer.wrap(bytes(600, 3))));
            assertFalse(budget.isNearlySpent());
            assertTrue(body.append(ByteBuffer.wrap(bytes(350, 4))));
            assertTrue(budget.isNearlySpent(), "950 of 1000: new transactions wait");
            assertFalse(body.append(ByteBuffer.wrap(bytes(100, 5))), "over the budget: the message cannot be kept");
            assertEquals(950, budget.diskInUse());
        }
        assertEquals(0, budget.diskInUse());
    }

    @Test
    void emptyAppendChangesNothing() throws IOException {
        try (MessageBody body = new MessageBody(0, spool)) {
            body.append(ByteBuffer.allocate(0));
            assertEquals(0, body.size());
            assertFalse(body.isSpooled());
            assertEquals(List.of(), files());
        }
    }

    // The JDK may unlink a DELETE_ON_CLOSE file as soon as it is open (Linux does), so the
    // directory is checked only after close: no message may be left on disk.
    @Test
    void closeDeletesTheTemporaryFile() throws IOException {
        MessageBody body = new MessageBody(10, spool);
        body.append(ByteBuffer.wrap(bytes(50, 7)));
        assertTrue(body.isSpooled());
        body.close();
        assertFalse(body.isSpooled());
        assertEquals(List.of(), files());
        assertThrows(IOException.class, () -> read(body), "a released body cannot be replayed");
        body.close();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(spool)) {
            return list.toList();
        }
    }

    /** Reads the whole body back in odd-sized pieces, as a stream to a backend does. */
    private static byte[] read(MessageBody body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer piece = ByteBuffer.allocate(7);
        long position = 0;
        int n;
        while ((n = body.read(position, piece.clear())) > 0) {
            out.write(piece.array(), 0, n);
            position += n;
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
