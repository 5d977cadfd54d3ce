import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.internal.tcnative.SSL;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;

/**
 * The benchmark's SMTP load client for the STARTTLS shape, on Netty: the same sessions as
 * LoadClient (one command at a time, a new session per message or persistent ones), but every
 * session a small state machine on one event loop instead of a blocking thread, and its TLS
 * BoringSSL through Netty's SslHandler, so that the client costs the cores it shares with the
 * servers measured as little CPU per session as it can. Never part of the product or its tests;
 * compiled against target/mxgate.jar, which carries Netty and BoringSSL.
 *
 * <pre>
 * java -cp target/mxgate.jar:CLASSES NettyLoadClient HOST:PORT [--messages N] [--size BYTES]
 *      [--sessions S] [--persistent] [--starttls [--resume]] [--warmup W] [--threads T]
 * </pre>
 *
 * Latency per message runs from MAIL to the final dot's reply. With --starttls every session is
 * a full handshake (an engine made without the peer's host and port, so the context's session
 * cache offers nothing), as from a sender seen the first time; with --resume too, every engine
 * is made for the peer from one shared context, whose cache offers the session (TLS 1.3 ticket)
 * that server gave last, as an MTA that sends to this MX all day does. Any certificate is
 * accepted; the key exchange is X25519 unless -Djdk.tls.namedGroups says otherwise. The handshake
 * time runs from STARTTLS's 220 to the handshake's end. --threads sets the event loops (1). No
 * timer per session: a run in which no message ends for 120 s stops with an error. The last
 * line, "result k=v ...", has LoadClient's keys, for scripts.
 */
public final class NettyLoadClient {

    // Before any of Netty's classes load (the commands below are Netty buffers): both are read once.
    static {
        // X25519 alone, as LoadClient offers and OpenSSL-based senders prefer: Netty's BoringSSL
        // context takes its groups from this property, and its default list made the client's
        // key share cost it half as much CPU per session again.
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", "x25519");
        }
        // Netty samples one buffer and engine in 128 for leak tracking, with a stack trace each.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
    }

    private static final ByteBuf EHLO = command("EHLO load.bench.test");
    private static final ByteBuf STARTTLS = command("STARTTLS");
    private static final ByteBuf MAIL = command("MAIL FROM:<bench@client.test>");
    private static final ByteBuf RCPT = command("RCPT TO:<user@bench.test>");
    private static final ByteBuf DATA = command("DATA");
    private static final ByteBuf QUIT = command("QUIT");
    /** RFC 5321 4.5.3.1.5: a reply line is at most 512 octets; a longer one ends the session. */
    private static final int MAX_LINE = 4096;
    private static final int STALL_SECONDS = 120;

    private final String host;
    private final int port;
    /** Resolved once: a connect to a host name would look it up for every session. */
    private final InetSocketAddress address;
    private final int sessions;
    private final boolean persistent;
    private final boolean resume;
    /** The one client context; null without --starttls. */
    private final SslContext tls;
    private final ByteBuf message;
    private final int size;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    private final AtomicInteger ok = new AtomicInteger();
    private final Map<String, AtomicInteger> other = new TreeMap<>();
    private final AtomicInteger resumed = new AtomicInteger();
    /** Handshake times in nanoseconds, warm-up included; guarded by this array holder's lock. */
    private long[] handshakeNanos = new long[1024];
    private int handshakes;

    NettyLoadClient(String host, int port, int sessions, boolean persistent, SslContext tls, boolean resume,
                    int size, int threads) {
        this.host = host;
        this.port = port;
        this.address = new InetSocketAddress(host, port);
        this.sessions = sessions;
        this.persistent = persistent;
        this.tls = tls;
        this.resume = resume;
        this.size = size;
        this.message = Unpooled.directBuffer(size + 8).writeBytes(message(size));
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    public static void main(String[] args) throws Exception {
        String[] target = args[0].split(":");
        int messages = 1000;
        int size = 4096;
        int sessions = 1;
        int warmup = 0;
        int threads = 1;
        boolean persistent = false;
        boolean starttls = false;
        boolean resume = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--messages": messages = Integer.parseInt(args[++i]); break;
                case "--size": size = Integer.parseInt(args[++i]); break;
                case "--sessions": sessions = Integer.parseInt(args[++i]); break;
                case "--warmup": warmup = Integer.parseInt(args[++i]); break;
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                case "--persistent": persistent = true; break;
                case "--starttls": starttls = true; break;
                case "--resume": resume = true; break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        NettyLoadClient client = new NettyLoadClient(target[0], Integer.parseInt(target[1]), sessions, persistent,
                starttls ? context() : null, resume, size, threads);
        try {
            // The warm-up is not timed: it lets this JVM's compiler catch up first.
            client.run(warmup);
            long startMillis = System.currentTimeMillis();
            long start = System.nanoTime();
            long cpu = cpuNanos();
            long[] latency = client.run(messages);
            double seconds = (System.nanoTime() - start) / 1e9;
            // Whether the client, on the same cores, was what limited the run.
            double cores = (cpuNanos() - cpu) / 1e9 / seconds;
            client.report(messages, warmup, startMillis, seconds, cores, latency, threads);
        } finally {
            client.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** BoringSSL, any certificate, no host name check: the benchmark measures the handshake. */
    private static SslContext context() throws Exception {
        if (!OpenSsl.isAvailable()) {
            throw new IllegalStateException("OpenSSL is not available: " + OpenSsl.unavailabilityCause());
        }
        return SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .build();
    }

    /** Sends count messages over the sessions and returns their latencies in nanoseconds (0 for a failed one). */
    long[] run(int count) throws InterruptedException {
        Run run = new Run(count, Math.min(sessions, Math.max(count, 1)));
        for (int s = 0; s < run.slots; s++) {
            run.next(null);
        }
        // LoadClient's socket timeout, once for the run rather than a timer per session: a server
        // that stops answering for that long ends the run.
        long progress = -1;
        while (!run.done.await(STALL_SECONDS, TimeUnit.SECONDS)) {
            long now = ok.get() + failures();
            if (now == progress) {
                throw new IllegalStateException("no reply for " + STALL_SECONDS + " s; " + ok.get() + " 250s, other "
                        + other);
            }
            progress = now;
        }
        return run.latency;
    }

    private int failures() {
        synchronized (other) {
            return other.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    private void count(String code) {
        synchronized (other) {
            other.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
        }
    }

    private void handshake(long nanos) {
        synchronized (this) {
            if (handshakes == handshakeNanos.length) {
                handshakeNanos = Arrays.copyOf(handshakeNanos, handshakes * 2);
            }
            handshakeNanos[handshakes++] = nanos;
        }
    }

    /**
     * One run: the messages still to send, handed out one at a time to its slots. A slot is one
     * of the S parallel sessions: it sends a message, then the next on the same session or a new
     * one, until none is left, as one of LoadClient's threads does.
     */
    private final class Run {
        final int count;
        final int slots;
        final long[] latency;
        final AtomicInteger next = new AtomicInteger();
        final CountDownLatch done;

        Run(int count, int slots) {
            this.count = count;
            this.slots = slots;
            this.latency = new long[count];
            this.done = new CountDownLatch(slots);
        }

        /** Gives a slot its next message, on its open session or a new one; ends the slot when none is left. */
        void next(Session open) {
            int index = next.getAndIncrement();
            if (index >= count) {
                if (open != null) {
                    open.quit(done::countDown);
                } else {
                    done.countDown();
                }
            } else if (open != null) {
                open.send(index);
            } else {
                Session session = new Session(this, index);
                ChannelFuture connect = bootstrap.clone().handler(session).connect(address);
                connect.addListener(f -> {
                    if (!f.isSuccess()) {
                        session.failToConnect(connect.channel());
                    }
                });
            }
        }
    }

    /** Where a session is: which reply it waits for. */
    private enum Step { GREETING, EHLO, STARTTLS, HANDSHAKE, EHLO_TLS, MAIL, RCPT, DATA, DOT, QUIT, CLOSED }

    /**
     * One SMTP session on its channel: one command at a time, each reply read whole (RFC 5321
     * 4.2.1: "250-" lines until "250 ") before the next command.
     */
    private final class Session extends ChannelInboundHandlerAdapter {
        private final Run run;
        private Channel channel;
        private Step step = Step.GREETING;
        /** The message this session is sending, -1 between messages. */
        private int index;
        private long sent;
        private long handshakeStart;
        /** After QUIT: what the slot does once the session is over. */
        private Runnable after;

        Session(Run run, int index) {
            this.run = run;
            this.index = index;
        }

        @Override public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ctx.pipeline().addBefore(ctx.name(), null, new LineBasedFrameDecoder(MAX_LINE));
        }

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            try {
                if (line.readableBytes() > 3 && line.getByte(line.readerIndex() + 3) == '-') {
                    return;
                }
                reply(line.readableBytes() >= 3 ? line.toString(line.readerIndex(), 3, StandardCharsets.US_ASCII)
                        : "short");
            } finally {
                line.release();
            }
        }

        private void reply(String code) {
            switch (step) {
                case GREETING: expect(code, "220", Step.EHLO, EHLO); break;
                case EHLO:
                    if (tls != null) {
                        expect(code, "250", Step.STARTTLS, STARTTLS);
                    } else if (check(code, "250")) {
                        start();
                    }
                    break;
                case STARTTLS:
                    if (check(code, "220")) {
                        startTls();
                    }
                    break;
                case EHLO_TLS:
                    if (check(code, "250")) {
                        start();
                    }
                    break;
                case MAIL: expect(code, "250", Step.RCPT, RCPT); break;
                case RCPT: expect(code, "250", Step.DATA, DATA); break;
                case DATA: expect(code, "354", Step.DOT, message); break;
                case DOT:
                    if (check(code, "250")) {
                        run.latency[index] = System.nanoTime() - sent;
                        ok.incrementAndGet();
                        index = -1;
                        if (persistent) {
                            run.next(this);
                        } else {
                            quit(() -> run.next(null));
                        }
                    }
                    break;
                case QUIT: end(); break;
                default: break;
            }
        }

        /** The reply closes the session unless it has the expected code; then the next command goes. */
        private void expect(String code, String expected, Step then, ByteBuf command) {
            if (check(code, expected)) {
                step = then;
                channel.writeAndFlush(command.retainedDuplicate(), channel.voidPromise());
            }
        }

        private boolean check(String code, String expected) {
            if (code.equals(expected)) {
                return true;
            }
            fail(code);
            return false;
        }

        /** The session is ready (after EHLO, or the second EHLO after STARTTLS): the first message goes. */
        private void start() {
            send(index);
        }

        void send(int message) {
            index = message;
            step = Step.MAIL;
            sent = System.nanoTime();
            channel.writeAndFlush(MAIL.retainedDuplicate(), channel.voidPromise());
        }

        private void startTls() {
            step = Step.HANDSHAKE;
            handshakeStart = System.nanoTime();
            ByteBufAllocator alloc = channel.alloc();
            SslHandler ssl = resume ? tls.newHandler(alloc, host, port) : tls.newHandler(alloc);
            // No timers per session: the run's stall check covers a handshake or a close_notify
            // that never ends.
            ssl.setHandshakeTimeoutMillis(0);
            ssl.setCloseNotifyFlushTimeoutMillis(0);
            channel.pipeline().addFirst(ssl);
            ssl.handshakeFuture().addListener(f -> {
                if (!f.isSuccess()) {
                    fail("drop");
                    return;
                }
                handshake(System.nanoTime() - handshakeStart);
                SSLEngine engine = ssl.engine();
                if (engine instanceof ReferenceCountedOpenSslEngine
                        && SSL.isSessionReused(((ReferenceCountedOpenSslEngine) engine).sslPointer())) {
                    resumed.incrementAndGet();
                }
                // RFC 3207 4.2: the client must discard what it knew and send EHLO again.
                step = Step.EHLO_TLS;
                channel.writeAndFlush(EHLO.retainedDuplicate(), channel.voidPromise());
            });
        }

        /** QUIT, its reply (whatever it is: only the messages' replies count), then the slot goes on. */
        void quit(Runnable then) {
            after = then;
            step = Step.QUIT;
            channel.writeAndFlush(QUIT.retainedDuplicate(), channel.voidPromise());
        }

        private void end() {
            step = Step.CLOSED;
            channel.close();
            Runnable then = after;
            after = null;
            if (then != null) {
                then.run();
            }
        }

        /** No connection (the handler may not even have been added): the message counts as dropped. */
        void failToConnect(Channel failed) {
            if (channel == null) {
                channel = failed;
            }
            fail("drop");
        }

        /** A reply other than the one expected, or a lost connection: counted for the message, session closed. */
        void fail(String code) {
            if (step == Step.CLOSED) {
                return;
            }
            if (step == Step.QUIT) {
                end();
                return;
            }
            step = Step.CLOSED;
            if (index >= 0) {
                count(code);
            }
            channel.close();
            run.next(null);
        }

        @Override public void channelInactive(ChannelHandlerContext ctx) {
            fail("drop");
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail("drop");
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void report(int messages, int warmup, long startMillis, double seconds, double cores, long[] latency,
                        int threads) {
        long[] sorted = Arrays.stream(latency).filter(l -> l > 0).sorted().toArray();
        int others = other.values().stream().mapToInt(AtomicInteger::get).sum();
        double mbs = (double) messages * size / seconds / 1e6;
        String mode = (persistent ? "persistent" : "new session per message") + ", " + sessions + " in parallel"
                + " on " + threads + " event loop" + (threads == 1 ? "" : "s")
                + (tls != null ? ", STARTTLS with BoringSSL" : "") + (tls != null && resume ? ", resuming" : "");
        System.out.printf("target          %s:%d (%s)%n", host, port, mode);
        System.out.printf("messages sent   %d of %d bytes, after %d warm-up%n", messages, size, warmup);
        System.out.printf("250s received   %d (warm-up included)%n", ok.get());
        System.out.printf("other replies   %s%n", others == 0 ? "none" : other);
        System.out.printf("elapsed         %.3f s, the client using %.2f cores%n", seconds, cores);
        System.out.printf("throughput      %.1f msg/s, %.2f MB/s%n", messages / seconds, mbs);
        System.out.printf("latency ms      p50 %.3f  p99 %.3f  p99.9 %.3f%n", ms(sorted, 0.5), ms(sorted, 0.99),
                ms(sorted, 0.999));
        long[] handshakeTimes;
        synchronized (this) {
            handshakeTimes = Arrays.copyOf(handshakeNanos, handshakes);
        }
        Arrays.sort(handshakeTimes);
        if (handshakeTimes.length > 0) {
            System.out.printf("handshake ms    p50 %.3f  p99 %.3f (%d, warm-up included; %d resumed)%n",
                    ms(handshakeTimes, 0.5), ms(handshakeTimes, 0.99), handshakeTimes.length, resumed.get());
        }
        System.out.printf("result sent=%d warmup=%d ok=%d other=%d start_ms=%d seconds=%.6f msgs=%.3f mbs=%.4f"
                        + " p50=%.4f p99=%.4f p999=%.4f handshake_p50=%.4f resumed=%d client_cores=%.3f%n",
                messages, warmup, ok.get(), others, startMillis, seconds, messages / seconds, mbs,
                ms(sorted, 0.5), ms(sorted, 0.99), ms(sorted, 0.999), ms(handshakeTimes, 0.5), resumed.get(), cores);
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    private static ByteBuf command(String line) {
        return Unpooled.directBuffer(line.length() + 2)
                .writeBytes((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** LoadClient's message: headers and 76-character lines up to size bytes, then the end of data. */
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
}
