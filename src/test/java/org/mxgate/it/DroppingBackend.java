package org.mxgate.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that behaves until DATA, answers 354, reads a few bytes of the message and then
 * closes the connection without a reply: the "lost in the middle of DATA" case.
 */
final class DroppingBackend implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger dataStarted = new AtomicInteger();
    private final Thread acceptor;

    DroppingBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "dropping-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int dataStarted() {
        return dataStarted.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket), "dropping-backend-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            out.write("220 dropping.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                String reply = switch (verb) {
                    case "EHLO" -> "250-dropping.test\r\n250 8BITMIME\r\n";
                    case "DATA" -> "354 go ahead\r\n";
                    case "QUIT" -> "221 bye\r\n";
                    default -> "250 ok\r\n";
                };
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (verb.equals("DATA")) {
                    dataStarted.incrementAndGet();
                    char[] some = new char[10];
                    reader.read(some);
                    return;
                }
            }
        } catch (IOException e) {
            // The gateway went away first: nothing to record.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
