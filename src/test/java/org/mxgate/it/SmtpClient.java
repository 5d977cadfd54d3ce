package org.mxgate.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** A plain blocking SMTP client over a real socket, for tests: sends exactly the bytes it is given. */
final class SmtpClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    SmtpClient(int port) throws IOException {
        this(port, null);
    }

    /** @param localAddress the loopback address to connect from (127.0.0.2 …), or null for any */
    SmtpClient(int port, String localAddress) throws IOException {
        socket = localAddress == null ? new Socket("127.0.0.1", port)
                : new Socket(java.net.InetAddress.getLoopbackAddress(), port, java.net.InetAddress.getByName(localAddress), 0);
        socket.setSoTimeout(30_000);
        // Without it, a body and its final dot written back to back wait out a delayed ACK (40 ms).
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A client that speaks TLS from the first byte (RFC 8314 implicit TLS), trusting any certificate. */
    static SmtpClient implicitTls(int port) throws IOException {
        SmtpClient client = new SmtpClient(port);
        client.upgrade();
        return client;
    }

    /** STARTTLS, and on its 220 the handshake on the same connection (RFC 3207); returns the reply. */
    String startTls() throws IOException {
        String reply = send("STARTTLS");
        if (reply != null && reply.startsWith("220 ")) {
            upgrade();
        }
        return reply;
    }

    /**
     * STARTTLS offering only these protocol versions and cipher suites, as an older or narrower
     * client would; returns the reply.
     */
    String startTls(List<String> protocols, List<String> suites) throws IOException {
        String reply = send("STARTTLS");
        if (reply != null && reply.startsWith("220 ")) {
            upgrade(protocols, suites);
        }
        return reply;
    }

    /** Starts TLS on this connection now, trusting any certificate; what was read stays read. */
    void upgrade() throws IOException {
        upgrade(null, null);
    }

    private void upgrade(List<String> protocols, List<String> suites) throws IOException {
        SSLSocket ssl = (SSLSocket) TestTls.trustingClient().getSocketFactory()
                .createSocket(socket, "localhost", socket.getPort(), true);
        ssl.setUseClientMode(true);
        if (protocols != null) {
            ssl.setEnabledProtocols(protocols.toArray(new String[0]));
        }
        if (suites != null) {
            ssl.setEnabledCipherSuites(suites.toArray(new String[0]));
        }
        ssl.startHandshake();
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
    }

    /** The TLS session, or null in plaintext. */
    SSLSession tlsSession() {
        return socket instanceof SSLSocket ssl ? ssl.getSession() : null;
    }

    /** AUTH PLAIN with an initial response (RFC 4616); returns the reply. */
    String authPlain(String login, String password) throws IOException {
        return send("AUTH PLAIN " + java.util.Base64.getEncoder()
                .encodeToString(("\0" + login + "\0" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads one whole reply, multi-line replies joined with '\n'; null when the server closed. */
    String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line == null) {
                return lines.isEmpty() ? null : String.join("\n", lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return String.join("\n", lines);
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            buf.write(b);
        }
        return null;
    }

    String send(String line) throws IOException {
        write(line + "\r\n");
        return reply();
    }

    void write(String raw) throws IOException {
        write(raw.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Greeting and EHLO; returns the EHLO reply. */
    String hello() throws IOException {
        String greeting = reply();
        if (greeting == null || !greeting.startsWith("220 ")) {
            throw new IOException("no greeting: " + greeting);
        }
        return send("EHLO client.test");
    }

    /**
     * One whole transaction; the body is given unstuffed and ends with CRLF, and is dot-stuffed
     * here. Returns the reply to the final dot, or the first failing reply.
     */
    String sendMessage(String from, List<String> to, byte[] body) throws IOException {
        String mail = send("MAIL FROM:<" + from + ">" + (isAscii(from, to) ? "" : " SMTPUTF8"));
        if (!mail.startsWith("250")) {
            return mail;
        }
        boolean any = false;
        String last = null;
        for (String rcpt : to) {
            last = send("RCPT TO:<" + rcpt + ">");
            any |= last.startsWith("250");
        }
        if (!any) {
            send("RSET");
            return last;
        }
        String data = send("DATA");
        if (!data.startsWith("354")) {
            return data;
        }
        write(stuff(body));
        write(".\r\n");
        return reply();
    }

    static byte[] stuff(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 16);
        boolean lineStart = true;
        for (byte b : body) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    private static boolean isAscii(String from, List<String> to) {
        return (from + String.join("", to)).chars().allMatch(c -> c < 0x80);
    }

    boolean isClosedByServer() throws IOException {
        return in.read() == -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
