import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend for the failover shape of the benchmark: speaks just enough SMTP to take mail,
 * counts the messages it accepts and throws them away, and with --pressure answers every
 * second MAIL with "452 4.3.1 Insufficient system storage", as an Exchange server under back
 * pressure does. Rewrites its counters to STATUS_FILE (accepted=N mail=N refused=N) ten times
 * a second. A thread per session; never part of the product or its tests.
 *
 * <pre>
 * java bench/PressureSink.java PORT STATUS_FILE [--pressure]
 * </pre>
 */
public class PressureSink {

    private final AtomicLong mails = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final boolean pressure;

    PressureSink(boolean pressure) {
        this.pressure = pressure;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path status = Path.of(args[1]);
        PressureSink sink = new PressureSink(args.length > 2 && args[2].equals("--pressure"));
        Thread writer = new Thread(() -> sink.writeStatus(status));
        writer.setDaemon(true);
        writer.start();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            while (true) {
                Socket socket = server.accept();
                new Thread(() -> sink.serve(socket)).start();
            }
        }
    }

    private void writeStatus(Path status) {
        String last = "";
        Path temporary = Path.of(status + ".tmp");
        while (true) {
            String now = "accepted=" + accepted.get() + " mail=" + mails.get() + " refused=" + refused.get() + "\n";
            try {
                if (!now.equals(last)) {
                    // Written aside and renamed, so a reader never sees half a line.
                    Files.writeString(temporary, now);
                    Files.move(temporary, status, StandardCopyOption.ATOMIC_MOVE);
                    last = now;
                }
                Thread.sleep(100);
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
            reply(out, "220 sink.bench.test ESMTP");
            boolean mail = false;
            boolean rcpt = false;
            for (String line = readLine(in); line != null; line = readLine(in)) {
                String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase();
                switch (verb) {
                    case "EHLO":
                        reply(out, "250-sink.bench.test\r\n250-PIPELINING\r\n250 8BITMIME");
                        break;
                    case "HELO": case "NOOP":
                        reply(out, "250 2.0.0 Ok");
                        break;
                    case "RSET":
                        mail = rcpt = false;
                        reply(out, "250 2.0.0 Ok");
                        break;
                    case "MAIL":
                        if (pressure && mails.incrementAndGet() % 2 == 0) {
                            refused.incrementAndGet();
                            reply(out, "452 4.3.1 Insufficient system storage");
                        } else {
                            if (!pressure) {
                                mails.incrementAndGet();
                            }
                            mail = true;
                            reply(out, "250 2.1.0 Ok");
                        }
                        break;
                    case "RCPT":
                        rcpt = mail;
                        reply(out, mail ? "250 2.1.5 Ok" : "503 5.5.1 Error: need MAIL command");
                        break;
                    case "DATA":
                        if (!rcpt) {
                            reply(out, "503 5.5.1 Error: need RCPT command");
                            break;
                        }
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        if (!skipData(in)) {
                            return;
                        }
                        accepted.incrementAndGet();
                        mail = rcpt = false;
                        reply(out, "250 2.0.0 Ok: queued");
                        break;
                    case "QUIT":
                        reply(out, "221 2.0.0 Bye");
                        return;
                    default:
                        reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // The client went away: its unfinished message was never accepted, so never counted.
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One line without its CRLF, or null at the end of input. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** Reads the message up to the line holding only a dot (RFC 5321 4.1.1.4); false at end of input. */
    private static boolean skipData(InputStream in) throws IOException {
        // Where we are in "\r\n.\r\n"; the 354 itself counts as the first line break.
        int matched = 2;
        byte[] end = {'\r', '\n', '.', '\r', '\n'};
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == end[matched]) {
                matched++;
            } else {
                matched = b == '\r' ? 1 : 0;
            }
            if (matched == end.length) {
                return true;
            }
        }
        return false;
    }
}
