package org.mxgate.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A raw-socket backend that offers XCLIENT the way Postfix does (or, when told, refuses it) and
 * records every command line it receives, in order, across all connections. When told to expect
 * a PROXY v2 header, it reads one first and records it as {@code PROXY source:port}. Counts the
 * connections open at any moment.
 */
final class XclientBackend implements AutoCloseable {

    private final LoopbackServer server;
    private final boolean refuse;
    private final boolean expectProxyV2;
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

    XclientBackend(boolean refuse) throws IOException {
        this(refuse, false);
    }

    XclientBackend(boolean refuse, boolean expectProxyV2) throws IOException {
        this.refuse = refuse;
        this.expectProxyV2 = expectProxyV2;
        server = new LoopbackServer("xclient-backend", this::serve);
    }

    int port() {
        return server.port();
    }

    List<String> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    /** Connections open now, counted here at the backend from accept to close. */
    int openConnections() {
        return open.get();
    }

    private void serve(Socket socket) {
        open.incrementAndGet();
        try (socket) {
            // Replies to pipelined commands go out at once, not after a delayed ACK.
            socket.setTcpNoDelay(true);
            if (expectProxyV2) {
                commands.add(readProxyV2(new java.io.DataInputStream(socket.getInputStream())));
            }
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
        } finally {
            open.decrementAndGet();
        }
    }

    /** Reads a PROXY v2 header (IPv4 or IPv6, PROXY command) and describes it. */
    private static String readProxyV2(java.io.DataInputStream in) throws IOException {
        byte[] fixed = new byte[16];
        in.readFully(fixed);
        int length = ((fixed[14] & 0xff) << 8) | (fixed[15] & 0xff);
        byte[] rest = new byte[length];
        in.readFully(rest);
        boolean v6 = (fixed[13] & 0xf0) == 0x20;
        int size = v6 ? 16 : 4;
        InetAddress source = InetAddress.getByAddress(java.util.Arrays.copyOfRange(rest, 0, size));
        int port = ((rest[2 * size] & 0xff) << 8) | (rest[2 * size + 1] & 0xff);
        return "PROXY " + source.getHostAddress() + ":" + port;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
