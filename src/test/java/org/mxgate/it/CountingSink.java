package org.mxgate.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw-socket backend that takes any number of large messages at once and keeps none of them:
 * it notes each message's Subject and size, so a test can count deliveries of gigabytes without
 * holding them in its heap. Accepts everything else.
 */
final class CountingSink implements AutoCloseable {

    private static final Pattern SUBJECT = Pattern.compile("\r\nSubject: ([^\r]*)\r\n");

    /** One message taken. */
    record Delivery(String subject, long bytes) {
    }

    private final LoopbackServer server;
    private final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());

    CountingSink() throws IOException {
        server = new LoopbackServer("counting-sink", this::serve);
    }

    int port() {
        return server.port();
    }

    List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            out.write("220 sink.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                String reply = switch (verb) {
                    case "EHLO" -> "250-sink.test\r\n250-8BITMIME\r\n250 SIZE\r\n";
                    case "DATA" -> "354 go ahead\r\n";
                    case "QUIT" -> "221 bye\r\n";
                    default -> "250 ok\r\n";
                };
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (verb.equals("DATA")) {
                    deliveries.add(readContent(in));
                    out.write("250 2.0.0 Ok: queued as SINK\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // The gateway went away first (an abandoned transaction): nothing was delivered.
        }
    }

    /** Reads to CRLF.CRLF; the sender waits for our reply after it, so it ends a read. */
    private static Delivery readContent(InputStream in) throws IOException {
        byte[] piece = new byte[64 * 1024];
        byte[] last = new byte[5];
        StringBuilder head = new StringBuilder();
        String subject = null;
        long total = 0;
        while (true) {
            int n = in.read(piece);
            if (n < 0) {
                throw new IOException("closed in DATA");
            }
            if (subject == null && head.length() < 8192) {
                head.append(new String(piece, 0, n, StandardCharsets.ISO_8859_1));
                Matcher m = SUBJECT.matcher(head);
                subject = m.find() ? m.group(1) : null;
            }
            int keep = Math.min(n, last.length);
            System.arraycopy(last, keep, last, 0, last.length - keep);
            System.arraycopy(piece, n - keep, last, last.length - keep, keep);
            total += n;
            if (total >= 5 && new String(last, StandardCharsets.ISO_8859_1).equals("\r\n.\r\n")) {
                return new Delivery(subject, total);
            }
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
