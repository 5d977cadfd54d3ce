package org.mxgate.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of one transaction, kept in the dot-stuffed wire form in which it arrived so it can
 * be replayed byte for byte on another backend. Held in memory up to a threshold and while the
 * process's {@link SpoolBudget} has memory left, then in a temporary file of its own that
 * {@link #close()} deletes, within the budget's disk share. Not thread-safe: one event loop owns it.
 */
public final class MessageBody implements AutoCloseable {

    private final int memoryLimit;
    private final Path spoolDirectory;
    private final SpoolBudget budget;
    private long memoryTaken;
    private long diskTaken;
    private final List<byte[]> memory = new ArrayList<>();
    private FileChannel file;
    private Path filePath;
    private long size;
    private boolean closed;

    public MessageBody(int memoryLimit, Path spoolDirectory) {
        this(memoryLimit, spoolDirectory, SpoolBudget.UNLIMITED);
    }

    public MessageBody(int memoryLimit, Path spoolDirectory, SpoolBudget budget) {
        this.memoryLimit = memoryLimit;
        this.spoolDirectory = spoolDirectory;
        this.budget = budget;
    }

    /**
     * Keeps the bytes; false when they cannot be kept, because the disk budget is spent: the
     * message must then be refused, and nothing more is kept of it.
     */
    public boolean append(ByteBuffer bytes) {
        int length = bytes.remaining();
        if (length == 0) {
            return true;
        }
        try {
            if (file == null && (size + length > memoryLimit || !budget.takeMemory(length))) {
                if (!budget.takeDisk(size + length)) {
                    return false;
                }
                diskTaken += size + length;
                spill();
            } else if (file != null) {
                if (!budget.takeDisk(length)) {
                    return false;
                }
                diskTaken += length;
            } else {
                memoryTaken += length;
            }
            if (file != null) {
                while (bytes.hasRemaining()) {
                    file.write(bytes);
                }
            } else {
                byte[] copy = new byte[length];
                bytes.get(copy);
                memory.add(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool message body to " + filePath, e);
        }
        size += length;
        return true;
    }

    private void spill() throws IOException {
        filePath = Files.createTempFile(spoolDirectory, "mxgate-", ".msg");
        file = FileChannel.open(filePath, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        for (byte[] chunk : memory) {
            file.write(ByteBuffer.wrap(chunk));
        }
        memory.clear();
        budget.returnMemory(memoryTaken);
        memoryTaken = 0;
    }

    public long size() {
        return size;
    }

    public boolean isSpooled() {
        return file != null;
    }

    /**
     * Copies the kept bytes from {@code position} into {@code into}, as many as fit and were
     * kept; returns how many. A body held in memory is read on the caller's thread; a spooled
     * one is file I/O, so its owner calls this off the event loop, where it may run while the
     * event loop appends further bytes (a FileChannel allows positional reads meanwhile). Only
     * bytes already appended when the call was made are read.
     */
    public int read(long position, ByteBuffer into) throws IOException {
        if (closed) {
            throw new IOException("message body already released");
        }
        int wanted = (int) Math.min(into.remaining(), size - position);
        if (wanted <= 0) {
            return 0;
        }
        FileChannel spooled = file;
        if (spooled == null) {
            return readMemory(position, into, wanted);
        }
        int limit = into.limit();
        into.limit(into.position() + wanted);
        try {
            int read = 0;
            while (read < wanted) {
                int n = spooled.read(into, position + read);
                if (n < 0) {
                    throw new IOException("spool file " + filePath + " is shorter than written");
                }
                read += n;
            }
            return read;
        } finally {
            into.limit(limit);
        }
    }

    private int readMemory(long position, ByteBuffer into, int wanted) {
        long chunkStart = 0;
        int copied = 0;
        for (byte[] chunk : memory) {
            long chunkEnd = chunkStart + chunk.length;
            if (chunkEnd > position + copied) {
                int offset = (int) (position + copied - chunkStart);
                int n = Math.min(chunk.length - offset, wanted - copied);
                into.put(chunk, offset, n);
                copied += n;
                if (copied == wanted) {
                    break;
                }
            }
            chunkStart = chunkEnd;
        }
        return copied;
    }

    @Override
    public void close() {
        memory.clear();
        budget.returnMemory(memoryTaken);
        budget.returnDisk(diskTaken);
        memoryTaken = 0;
        diskTaken = 0;
        closed = true;
        if (file != null) {
            try {
                file.close();
                Files.deleteIfExists(filePath);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete spool file " + filePath, e);
            } finally {
                file = null;
            }
        }
    }
}
