package org.mxgate.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A raw-socket backend that offers XCLIENT the way Postfix does (or, when told, refuses it) and
 * records every command line it receives, in order, across all connections.
 */
final class XclientBackend implements AutoCloseable {

    private final ServerSocket server;
    private final boolean refuse;
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());

    XclientBackend(boolean refuse) throws IOException {
        this.refuse = refuse;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "xclient-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<String> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket), "xclient-backend-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            out.write("220 xclient.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase();
                String reply = switch (verb) {
                    case "EHLO" -> "250-xclient.test\r\n250-PIPELINING\r\n250-XCLIENT NAME ADDR PORT PROTO HELO LOGIN\r\n250 8BITMIME\r\n";
                    case "XCLIENT" -> refuse ? "550 5.7.0 insufficient authorization\r\n" : "220 xclient.test ESMTP\r\n";
                    case "DATA" -> "354 go ahead\r\n";
                    case "QUIT" -> "221 bye\r\n";
                    default -> "250 ok\r\n";
                };
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (verb.equals("DATA")) {
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        // the message itself is not needed here
                    }
                    out.write("250 2.0.0 Ok: queued as XC1\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                if (verb.equals("QUIT")) {
                    return;
                }
            }
        } catch (IOException e) {
            // The gateway went away.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
