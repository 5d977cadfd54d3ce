package org.mxgate.it;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A raw-socket backend that takes message content slowly, with a small receive buffer: it counts
 * the bytes and tells a listener how far it got, so a test can look at the gateway while a large
 * body is on its way. Keeps none of it, unless {@link #keepingContent()}; can hold its 354 to
 * DATA until the test releases it ({@link #holdingDataReply()}). Accepts everything else.
 */
final class SlowSinkBackend implements AutoCloseable {

    private static final byte[] END = "\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);

    private final LoopbackServer server;
    private final LongConsumer progress;
    private final AtomicLong lastMessageBytes = new AtomicLong(-1);
    private final CountDownLatch dataCommand = new CountDownLatch(1);
    private volatile CountDownLatch dataReplyHeld;
    private volatile ByteArrayOutputStream content;

    /** @param progress told the content bytes read so far, after each read */
    SlowSinkBackend(LongConsumer progress) throws IOException {
        this.progress = progress;
        server = new LoopbackServer("slow-sink", this::serve);
    }

    int port() {
        return server.port();
    }

    /** From now on the 354 to DATA waits until {@link #releaseDataReply()}. */
    SlowSinkBackend holdingDataReply() {
        dataReplyHeld = new CountDownLatch(1);
        return this;
    }

    /** From now on the content of each message is kept, for {@link #lastMessage()}. */
    SlowSinkBackend keepingContent() {
        content = new ByteArrayOutputStream();
        return this;
    }

    /** Waits until a DATA command has come (its 354 may be held). */
    void awaitDataCommand() throws InterruptedException {
        if (!dataCommand.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no DATA command reached the backend");
        }
    }

    void releaseDataReply() {
        dataReplyHeld.countDown();
    }

    /** The content of the last message taken, up to and including its final dot line ({@link #keepingContent()}). */
    byte[] lastMessage() {
        return content.toByteArray();
    }

    /** Content bytes of the last message taken, up to and including its final dot line; -1 before one. */
    long lastMessageBytes() {
        return lastMessageBytes.get();
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setReceiveBufferSize(32 * 1024);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            out.write("220 sink.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                String reply = switch (verb) {
                    case "EHLO" -> "250-sink.test\r\n250 8BITMIME\r\n";
                    case "DATA" -> "354 go ahead\r\n";
                    case "QUIT" -> "221 bye\r\n";
                    default -> "250 ok\r\n";
                };
                if (verb.equals("DATA")) {
                    dataCommand.countDown();
                    CountDownLatch held = dataReplyHeld;
                    if (held != null && !held.await(10, TimeUnit.SECONDS)) {
                        throw new IOException("the test never released the 354");
                    }
                }
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (verb.equals("DATA")) {
                    lastMessageBytes.set(readContent(in));
                    out.write("250 2.0.0 Ok: queued as SINK1\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // The gateway went away first: nothing to record.
        }
    }

    /** Reads up to CRLF.CRLF in small pieces with a pause between them. */
    private long readContent(InputStream in) throws IOException, InterruptedException {
        byte[] piece = new byte[8192];
        byte[] tail = new byte[END.length];
        long total = 0;
        ByteArrayOutputStream kept = content;
        if (kept != null) {
            kept.reset();
        }
        while (true) {
            int n = in.read(piece);
            if (n < 0) {
                throw new IOException("closed in DATA");
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(tail, 1, tail, 0, tail.length - 1);
                tail[tail.length - 1] = piece[i];
            }
            if (kept != null) {
                kept.write(piece, 0, n);
            }
            total += n;
            progress.accept(total);
            if (total >= END.length && java.util.Arrays.equals(tail, END)) {
                return total;
            }
            // The slowness this backend simulates, not a wait for anything: TCP makes the gateway hold back.
            Thread.sleep(1);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toString().strip();
            }
            line.append((char) b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
