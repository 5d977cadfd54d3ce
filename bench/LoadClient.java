import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The benchmark's SMTP load client, for what smtp-source cannot do: STARTTLS, and a fixed
 * offered rate. Sends N messages of a given size over S parallel sessions (a new session per
 * message, or persistent ones), one command at a time, and prints what came back. Blocking
 * sockets and a thread per session: the JDK only, so it runs as a source file with nothing on
 * the class path; with --openssl and mxgate.jar on the class path, its TLS is BoringSSL through
 * Netty's engine (found by reflection), which spends a fraction of the JDK's CPU per handshake,
 * so that the client takes less of the cores the servers measured share. Never part of the
 * product or its tests.
 *
 * <pre>
 * java bench/LoadClient.java HOST:PORT [--messages N] [--size BYTES] [--sessions S]
 *      [--persistent] [--starttls [--openssl] [--resume]] [--rate MSG_PER_S] [--warmup W]
 * </pre>
 *
 * Latency per message runs from MAIL to the final dot's reply; at a fixed rate it runs from
 * the message's scheduled send time instead (open loop: the schedule is fixed in advance, so a
 * slow reply delays the messages behind it and their latency shows it, rather than the client
 * quietly sending less: no coordinated omission). With --starttls every session is a full
 * handshake (a new SSLContext each, so nothing is resumed), as from a sender seen the first
 * time; with --resume too, every session offers the session (ticket) its server gave last, as
 * an MTA that sends to this MX all day does (Postfix's smtp_tls_session_cache_database, say).
 * Any certificate is accepted; the key exchange is X25519 unless -Djdk.tls.namedGroups says
 * otherwise. The last line, "result k=v ...", is for scripts.
 */
public class LoadClient {

    private static final byte[] CRLF = {'\r', '\n'};

    private final String host;
    private final int port;
    private final int sessions;
    private final boolean persistent;
    private final boolean starttls;
    private final byte[] message;
    /** Makes client engines with BoringSSL (--openssl), or null for the JDK's SSLSocket. */
    private OpenSslEngines openSsl;

    private final AtomicInteger ok = new AtomicInteger();
    private final Map<String, AtomicInteger> other = new TreeMap<>();
    private final List<Long> handshakeNanos = new ArrayList<>();
    /** With --resume: the one client context whose session cache offers the last session. */
    private SSLContext resumingContext;
    /** Handshakes that resumed a session; counted with BoringSSL only, -1 with the JDK's TLS. */
    private final AtomicInteger resumed = new AtomicInteger();

    LoadClient(String host, int port, int sessions, boolean persistent, boolean starttls, int size) {
        this.host = host;
        this.port = port;
        this.sessions = sessions;
        this.persistent = persistent;
        this.starttls = starttls;
        this.message = message(size);
    }

    public static void main(String[] args) throws Exception {
        // X25519 alone, as OpenSSL-based senders prefer it: by default the JDK also makes a P-256
        // key share for every handshake, which doubled the client's CPU per session.
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", "x25519");
        }
        String[] target = args[0].split(":");
        int messages = 1000;
        int size = 4096;
        int sessions = 1;
        int warmup = 0;
        double rate = 0;
        boolean persistent = false;
        boolean starttls = false;
        boolean openssl = false;
        boolean resume = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--messages": messages = Integer.parseInt(args[++i]); break;
                case "--size": size = Integer.parseInt(args[++i]); break;
                case "--sessions": sessions = Integer.parseInt(args[++i]); break;
                case "--warmup": warmup = Integer.parseInt(args[++i]); break;
                case "--rate": rate = Double.parseDouble(args[++i]); break;
                case "--persistent": persistent = true; break;
                case "--starttls": starttls = true; break;
                case "--openssl": openssl = true; break;
                case "--resume": resume = true; break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        LoadClient client = new LoadClient(target[0], Integer.parseInt(target[1]), sessions, persistent,
                starttls, size);
        if (openssl) {
            client.openSsl = OpenSslEngines.load(resume);
        } else if (resume) {
            client.resumingContext = trustingContext();
            client.resumed.set(-1);
        }
        // The warm-up is not timed: it lets this JVM's compiler catch up, at the same offered rate
        // (if any), so the timed part does not start behind a burst.
        client.run(warmup, rate);
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        long cpu = cpuNanos();
        long[] latency = client.run(messages, rate);
        double seconds = (System.nanoTime() - start) / 1e9;
        // Whether the client, on the same cores, was what limited the run.
        double cores = (cpuNanos() - cpu) / 1e9 / seconds;
        client.report(messages, warmup, size, rate, startMillis, seconds, cores, latency);
    }

    /** Sends count messages and returns their latencies in nanoseconds (0 for a failed one). */
    long[] run(int count, double rate) throws InterruptedException {
        long[] latency = new long[count];
        AtomicInteger next = new AtomicInteger();
        long origin = System.nanoTime();
        Thread[] threads = new Thread[Math.min(sessions, Math.max(count, 1))];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                Session session = null;
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long scheduled = rate > 0 ? origin + (long) (i * 1e9 / rate) : 0;
                    if (rate > 0) {
                        waitUntil(scheduled);
                    }
                    try {
                        if (session == null) {
                            session = open();
                        }
                        long sent = System.nanoTime();
                        session.send(message);
                        latency[i] = System.nanoTime() - (rate > 0 ? scheduled : sent);
                        ok.incrementAndGet();
                    } catch (Refused e) {
                        count(e.getMessage());
                        session = close(session, false);
                    } catch (IOException e) {
                        count("drop");
                        session = close(session, false);
                    }
                    if (!persistent) {
                        session = close(session, true);
                    }
                }
                close(session, true);
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return latency;
    }

    private Session open() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(120_000);
        Session session = new Session(socket);
        session.expect("220");
        session.command("EHLO load.bench.test", "250");
        if (starttls) {
            session.command("STARTTLS", "220");
            long start = System.nanoTime();
            if (openSsl != null) {
                SSLEngine engine = openSsl.newEngine(host, port);
                session.startTls(engine);
                if (openSsl.reused(engine)) {
                    resumed.incrementAndGet();
                }
            } else {
                session.startTls(resumingContext != null ? resumingContext : trustingContext(), host, port);
            }
            synchronized (handshakeNanos) {
                handshakeNanos.add(System.nanoTime() - start);
            }
            // RFC 3207 4.2: the client must discard what it knew and send EHLO again.
            session.command("EHLO load.bench.test", "250");
        }
        return session;
    }

    private static Session close(Session session, boolean quit) {
        if (session != null) {
            session.close(quit);
        }
        return null;
    }

    private void count(String code) {
        synchronized (other) {
            other.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
        }
    }

    private static void waitUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static SSLContext trustingContext() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAnything()}, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void report(int messages, int warmup, int size, double rate, long startMillis, double seconds,
                        double cores, long[] latency) {
        long[] sorted = Arrays.stream(latency).filter(l -> l > 0).sorted().toArray();
        int others = other.values().stream().mapToInt(AtomicInteger::get).sum();
        double mbs = (double) messages * size / seconds / 1e6;
        String mode = (persistent ? "persistent" : "new session per message") + ", " + sessions + " in parallel"
                + (starttls ? ", STARTTLS with " + (openSsl != null ? "BoringSSL" : "the JDK's TLS") : "")
                + (openSsl != null && openSsl.resume || resumingContext != null ? ", resuming" : "") + (rate > 0 ? String.format(", offered %.0f msg/s", rate) : "");
        System.out.printf("target          %s:%d (%s)%n", host, port, mode);
        System.out.printf("messages sent   %d of %d bytes, after %d warm-up%n", messages, size, warmup);
        System.out.printf("250s received   %d (warm-up included)%n", ok.get());
        System.out.printf("other replies   %s%n", others == 0 ? "none" : other);
        System.out.printf("elapsed         %.3f s, the client using %.2f cores%n", seconds, cores);
        System.out.printf("throughput      %.1f msg/s, %.2f MB/s%n", messages / seconds, mbs);
        System.out.printf("latency ms      p50 %.3f  p99 %.3f  p99.9 %.3f%n", ms(sorted, 0.5), ms(sorted, 0.99),
                ms(sorted, 0.999));
        long[] handshakes = handshakeNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (handshakes.length > 0) {
            System.out.printf("handshake ms    p50 %.3f  p99 %.3f (%d, warm-up included; %s resumed)%n",
                    ms(handshakes, 0.5), ms(handshakes, 0.99), handshakes.length,
                    resumed.get() < 0 ? "unknown how many" : String.valueOf(resumed.get()));
        }
        System.out.printf("result sent=%d warmup=%d ok=%d other=%d start_ms=%d seconds=%.6f msgs=%.3f mbs=%.4f"
                        + " p50=%.4f p99=%.4f p999=%.4f handshake_p50=%.4f resumed=%d client_cores=%.3f%n",
                messages, warmup, ok.get(), others, startMillis, seconds, messages / seconds, mbs,
                ms(sorted, 0.5), ms(sorted, 0.99), ms(sorted, 0.999), ms(handshakes, 0.5), resumed.get(), cores);
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    /** Headers and 76-character lines up to size bytes, then the end of data; no line starts with a dot. */
    private static byte[] message(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 8);
        String header = "From: <bench@client.test>\r\nTo: <user@bench.test>\r\nSubject: bench\r\n\r\n";
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        byte[] line = ("x".repeat(76) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        while (out.size() + line.length <= size) {
            out.writeBytes(line);
        }
        int rest = size - out.size();
        if (rest > 0) {
            // A last, shorter line (one byte over the size when only one byte was left).
            out.writeBytes(("y".repeat(Math.max(rest - 2, 0)) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** A reply other than the one expected; its message is the reply's code. */
    private static final class Refused extends IOException {
        Refused(String code) {
            super(code);
        }
    }

    /** One SMTP session: commands one at a time, each reply read whole before the next. */
    private static final class Session {
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            use(socket.getInputStream(), socket.getOutputStream());
        }

        private void use(InputStream in, OutputStream out) {
            this.in = new BufferedInputStream(in, 4096);
            // Commands are small; a message larger than the buffer is written straight through.
            this.out = new BufferedOutputStream(out, 8192);
        }

        void startTls(SSLEngine engine) throws IOException {
            EngineStreams tls = new EngineStreams(socket, engine);
            tls.handshake();
            use(tls.in(), tls.out());
        }

        void send(byte[] message) throws IOException {
            command("MAIL FROM:<bench@client.test>", "250");
            command("RCPT TO:<user@bench.test>", "250");
            command("DATA", "354");
            out.write(message);
            out.flush();
            expect("250");
        }

        void startTls(SSLContext context, String host, int port) throws IOException {
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            socket = tls;
            use(tls.getInputStream(), tls.getOutputStream());
        }

        void command(String line, String expected) throws IOException {
            out.write(line.getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
            out.flush();
            expect(expected);
        }

        /** Reads a whole reply (RFC 5321 4.2.1: "250-" lines until "250 "), checks its code. */
        void expect(String code) throws IOException {
            String line;
            do {
                line = readLine();
            } while (line.length() > 3 && line.charAt(3) == '-');
            if (!line.startsWith(code)) {
                throw new Refused(line.length() >= 3 ? line.substring(0, 3) : "short");
            }
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("closed");
                }
                line.append((char) b);
            }
            return line.toString();
        }

        void close(boolean quit) {
            try {
                if (quit) {
                    command("QUIT", "221");
                }
            } catch (IOException e) {
                // The session ends anyway; only the messages' replies count.
            }
            try {
                socket.close();
            } catch (IOException e) {
                // Nothing left to do with it.
            }
        }
    }

    /**
     * Client engines from Netty's SslContext on BoringSSL, through reflection so that this file
     * still compiles with nothing on the class path. Without resume each engine is made without
     * the peer's host and port, so the context's session cache never offers a resumption: every
     * handshake is full. With resume it is made with them, and the cache offers the last session
     * that server gave.
     */
    private static final class OpenSslEngines {
        private final Object context;
        private final java.lang.reflect.Method newEngine;
        private final java.lang.reflect.Method newEngineForPeer;
        private final java.lang.reflect.Method isSessionReused;
        private final Object allocator;
        final boolean resume;

        private OpenSslEngines(Object context, Class<?> allocatorClass, Object allocator, boolean resume)
                throws ReflectiveOperationException {
            this.context = context;
            this.newEngine = context.getClass().getMethod("newEngine", allocatorClass);
            this.newEngineForPeer = context.getClass().getMethod("newEngine", allocatorClass, String.class, int.class);
            this.isSessionReused = Class.forName("io.netty.handler.ssl.ReferenceCountedOpenSslEngine")
                    .getDeclaredMethod("isSessionReused");
            isSessionReused.setAccessible(true);
            this.allocator = allocator;
            this.resume = resume;
        }

        static OpenSslEngines load(boolean resume) throws ReflectiveOperationException {
            Class<?> openSsl = Class.forName("io.netty.handler.ssl.OpenSsl");
            if (!(Boolean) openSsl.getMethod("isAvailable").invoke(null)) {
                throw new IllegalStateException("OpenSSL is not available: "
                        + openSsl.getMethod("unavailabilityCause").invoke(null));
            }
            Class<?> builderClass = Class.forName("io.netty.handler.ssl.SslContextBuilder");
            Object builder = builderClass.getMethod("forClient").invoke(null);
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object provider = Enum.valueOf((Class<Enum>) Class.forName("io.netty.handler.ssl.SslProvider"), "OPENSSL");
            builderClass.getMethod("sslProvider", provider.getClass()).invoke(builder, provider);
            Object trustAll = Class.forName("io.netty.handler.ssl.util.InsecureTrustManagerFactory")
                    .getField("INSTANCE").get(null);
            builderClass.getMethod("trustManager", TrustManagerFactory.class).invoke(builder, trustAll);
            builderClass.getMethod("endpointIdentificationAlgorithm", String.class).invoke(builder, (Object) null);
            Object context = builderClass.getMethod("build").invoke(builder);
            Class<?> allocatorClass = Class.forName("io.netty.buffer.ByteBufAllocator");
            return new OpenSslEngines(context, allocatorClass, allocatorClass.getField("DEFAULT").get(null), resume);
        }

        SSLEngine newEngine(String host, int port) throws IOException {
            try {
                return (SSLEngine) (resume ? newEngineForPeer.invoke(context, allocator, host, port)
                        : newEngine.invoke(context, allocator));
            } catch (ReflectiveOperationException e) {
                throw new IOException(e);
            }
        }

        /** Whether the handshake just done resumed a session (Netty keeps the question package-private). */
        boolean reused(SSLEngine engine) throws IOException {
            try {
                return (Boolean) isSessionReused.invoke(engine);
            } catch (ReflectiveOperationException e) {
                throw new IOException(e);
            }
        }
    }

    /** TLS on a blocking socket through an SSLEngine, as SSLSocket does it with the JDK's own engine. */
    private static final class EngineStreams {
        private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
        private final SSLEngine engine;
        private final InputStream rawIn;
        private final OutputStream rawOut;
        // Both in read mode: position to limit is what waits to be used.
        private ByteBuffer netIn;
        private ByteBuffer appIn;
        private ByteBuffer netOut;

        EngineStreams(Socket socket, SSLEngine engine) throws IOException {
            this.engine = engine;
            this.rawIn = socket.getInputStream();
            this.rawOut = socket.getOutputStream();
            engine.setUseClientMode(true);
            netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize()).flip();
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
            netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        }

        void handshake() throws IOException {
            engine.beginHandshake();
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP: wrap(NOTHING); break;
                    case NEED_UNWRAP: case NEED_UNWRAP_AGAIN:
                        if (!unwrap()) {
                            throw new IOException("closed during the handshake");
                        }
                        break;
                    case NEED_TASK: runTasks(); break;
                    default: return;
                }
            }
        }

        private void runTasks() {
            for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                task.run();
            }
        }

        private void wrap(ByteBuffer source) throws IOException {
            do {
                netOut.clear();
                SSLEngineResult result = engine.wrap(source, netOut);
                switch (result.getStatus()) {
                    case BUFFER_OVERFLOW: netOut = ByteBuffer.allocate(netOut.capacity() * 2); continue;
                    case CLOSED: throw new SSLException("closed");
                    default: break;
                }
                rawOut.write(netOut.array(), 0, netOut.position());
                if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
            } while (source.hasRemaining());
            rawOut.flush();
        }

        /** Unwraps one record into appIn, reading from the socket as needed; false at the end of the stream. */
        private boolean unwrap() throws IOException {
            while (true) {
                appIn.compact();
                SSLEngineResult result;
                try {
                    result = engine.unwrap(netIn, appIn);
                } finally {
                    appIn.flip();
                }
                switch (result.getStatus()) {
                    case OK: return true;
                    case CLOSED: return false;
                    case BUFFER_OVERFLOW:
                        appIn = ByteBuffer.allocate(appIn.capacity() * 2).put(appIn).flip();
                        break;
                    case BUFFER_UNDERFLOW:
                        if (!readMore()) {
                            return false;
                        }
                        break;
                    default: throw new SSLException(String.valueOf(result));
                }
            }
        }

        private boolean readMore() throws IOException {
            netIn.compact();
            if (!netIn.hasRemaining()) {
                netIn = ByteBuffer.allocate(netIn.capacity() * 2).put(netIn.flip());
            }
            int read = rawIn.read(netIn.array(), netIn.position(), netIn.remaining());
            if (read > 0) {
                netIn.position(netIn.position() + read);
            }
            netIn.flip();
            return read > 0;
        }

        private boolean fill() throws IOException {
            while (!appIn.hasRemaining()) {
                if (!unwrap()) {
                    return false;
                }
            }
            return true;
        }

        InputStream in() {
            return new InputStream() {
                @Override public int read() throws IOException {
                    return fill() ? appIn.get() & 0xff : -1;
                }

                @Override public int read(byte[] into, int offset, int length) throws IOException {
                    if (length == 0) {
                        return 0;
                    }
                    if (!fill()) {
                        return -1;
                    }
                    int n = Math.min(length, appIn.remaining());
                    appIn.get(into, offset, n);
                    return n;
                }
            };
        }

        OutputStream out() {
            return new OutputStream() {
                @Override public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override public void write(byte[] bytes, int offset, int length) throws IOException {
                    wrap(ByteBuffer.wrap(bytes, offset, length));
                }
            };
        }
    }

    /** The benchmark measures the handshake, not the certificate: every certificate passes. */
    private static final class TrustAnything extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String type) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String type) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String type, Socket s) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String type, Socket s) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String type, SSLEngine e) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String type, SSLEngine e) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
