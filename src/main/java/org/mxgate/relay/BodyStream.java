package org.mxgate.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.mxgate.backend.BackendSession;
import org.mxgate.mail.MessageBody;

/**
 * Writes a transaction's kept body to a backend session from its first byte until it has caught
 * up with what was kept, one chunk at a time: the next chunk only once the backend's socket has
 * room (back pressure), and a spooled body's chunks read on the spool's reader threads, never on
 * the event loop. A replay thus holds one chunk of the body at a time, whatever the message's
 * size (ReplayMemoryIT). Runs on the session's event loop, where its future completes: true
 * once every byte is handed to the socket, false when the backend went away first, and
 * exceptionally when the spool could not be read.
 */
final class BodyStream {

    static final int CHUNK = 64 * 1024;

    private final MessageBody body;
    private final BackendSession session;
    private final Executor reader;
    private final Runnable caughtUp;
    private final CompletableFuture<Boolean> written = new CompletableFuture<>();
    private long position;

    private BodyStream(MessageBody body, BackendSession session, Executor reader, Runnable caughtUp) {
        this.body = body;
        this.session = session;
        this.reader = reader;
        this.caughtUp = caughtUp;
    }

    /**
     * Starts writing; {@link #written()} says how it ended, {@link #position()} how far it got.
     *
     * @param caughtUp run once every kept byte is handed to the socket, before {@link #written()} completes
     */
    static BodyStream start(MessageBody body, BackendSession session, Executor reader, Runnable caughtUp) {
        BodyStream stream = new BodyStream(body, session, reader, caughtUp);
        stream.next();
        return stream;
    }

    CompletableFuture<Boolean> written() {
        return written;
    }

    /** Bytes handed to the backend's socket so far: progress, for a timer that looks for none. */
    long position() {
        return position;
    }

    private void next() {
        Channel channel = session.channel();
        while (!written.isDone()) {
            if (!channel.isActive()) {
                written.complete(false);
                return;
            }
            long kept = body.size();
            if (position >= kept) {
                caughtUp.run();
                written.complete(true);
                return;
            }
            if (!channel.isWritable()) {
                session.whenWritable(this::next);
                return;
            }
            int length = (int) Math.min(CHUNK, kept - position);
            ByteBuf chunk = channel.alloc().ioBuffer(length);
            if (!body.isSpooled()) {
                // In memory: a copy on the event loop costs less than a hop to another thread.
                try {
                    fill(chunk, length);
                } catch (UncheckedIOException e) {
                    chunk.release();
                    written.completeExceptionally(e);
                    return;
                }
                send(chunk);
                continue;
            }
            CompletableFuture.runAsync(() -> fill(chunk, length), reader).whenCompleteAsync((ignored, error) -> {
                if (error != null) {
                    chunk.release();
                    written.completeExceptionally(error);
                    return;
                }
                send(chunk);
                next();
            }, channel.eventLoop());
            return;
        }
    }

    private void fill(ByteBuf chunk, int length) {
        try {
            int read = body.read(position, chunk.nioBuffer(0, length));
            if (read != length) {
                throw new IOException("read " + read + " of " + length + " kept bytes at " + position);
            }
            chunk.writerIndex(length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kept message body back", e);
        }
    }

    private void send(ByteBuf chunk) {
        position += chunk.readableBytes();
        session.writeBody(chunk);
    }
}
