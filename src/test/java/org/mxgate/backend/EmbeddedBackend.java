package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.mxgate.config.ServerConfig;
import org.mxgate.net.HostPort;

/**
 * A backend session on an EmbeddedChannel with the pipeline a real backend connection gets and
 * a frozen clock (timeouts fire only when a test moves it): what the backend says, in one piece
 * or one byte at a time, and what was written to it.
 */
final class EmbeddedBackend implements AutoCloseable {

    final Backend backend = new Backend("mailbox", new ServerConfig("mx1", HostPort.parse("192.0.2.11:25"), 1));
    final BackendSession session = new BackendSession(backend, null);
    final EmbeddedChannel channel = new EmbeddedChannel(BackendClient.handlers(session));

    EmbeddedBackend() {
        channel.freezeTime();
    }

    void says(String wire) {
        channel.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.US_ASCII));
    }

    void saysOneByteAtATime(String wire) {
        for (byte b : wire.getBytes(StandardCharsets.US_ASCII)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
    }

    /** The buffers written to the backend since the last call, one string each. */
    List<String> writes() {
        List<String> writes = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) out;
            writes.add(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return writes;
    }

    /** Why a future that must have failed did: the BackendException. */
    static BackendException failure(CompletableFuture<?> future) {
        assertTrue(future.isCompletedExceptionally(), "failed: " + future);
        Throwable cause = future.handle((value, error) -> error).join();
        return assertInstanceOf(BackendException.class, cause instanceof CompletionException ? cause.getCause() : cause);
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
