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
 * be replayed byte for byte on another backend. Held in memory up to a threshold, then in a
 * temporary file of its own that {@link #close()} deletes. Not thread-safe: one event loop owns it.
 */
public final class MessageBody implements AutoCloseable {

    private static final int READ_CHUNK = 64 * 1024;

    private final int memoryLimit;
    private final Path spoolDirectory;
    private final List<byte[]> memory = new ArrayList<>();
    private FileChannel file;
    private Path filePath;
    private long size;

    public MessageBody(int memoryLimit, Path spoolDirectory) {
        this.memoryLimit = memoryLimit;
        this.spoolDirectory = spoolDirectory;
    }

    public void append(ByteBuffer bytes) {
        int length = bytes.remaining();
        if (length == 0) {
            return;
        }
        try {
            if (file == null && size + length > memoryLimit) {
                spill();
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
    }

    private void spill() throws IOException {
        filePath = Files.createTempFile(spoolDirectory, "mxgate-", ".msg");
        file = FileChannel.open(filePath, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        for (byte[] chunk : memory) {
            file.write(ByteBuffer.wrap(chunk));
        }
        memory.clear();
    }

    public long size() {
        return size;
    }

    public boolean isSpooled() {
        return file != null;
    }

    /** The kept bytes from the start, in chunks; each call starts a new pass. */
    public List<ByteBuffer> chunks() {
        if (file == null) {
            return memory.stream().map(ByteBuffer::wrap).toList();
        }
        List<ByteBuffer> out = new ArrayList<>();
        try {
            long position = 0;
            while (position < size) {
                ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(READ_CHUNK, size - position));
                while (chunk.hasRemaining()) {
                    int n = file.read(chunk, position + chunk.position());
                    if (n < 0) {
                        throw new IOException("spool file shorter than written");
                    }
                }
                position += chunk.capacity();
                out.add(chunk.flip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spooled message body " + filePath, e);
        }
        return out;
    }

    @Override
    public void close() {
        memory.clear();
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
