package org.mxgate.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mxgate.mail.Reply;

/**
 * One SMTP client connection to a backend. Replies are matched to commands in the order sent
 * (RFC 2920), each with its own timeout. Lives on one event loop and completes every future
 * there; a lost connection fails every pending reply with {@link BackendException.Kind#LOST}.
 */
public final class BackendSession extends SimpleChannelInboundHandler<Reply> {

    private record Pending(CompletableFuture<Reply> reply, ScheduledFuture<?> timer) {
    }

    private final Backend backend;
    private final InetAddress source;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Channel channel;
    private Map<String, Set<String>> capabilities = Map.of();
    private String speaksFor;
    private String boundTo;
    private boolean parked;
    private boolean broken;
    /** Why we closed the connection when the backend broke the reply grammar, or null. */
    private String badReply;
    private final List<Runnable> onWritable = new ArrayList<>();
    private boolean needsReset;
    private String tls;

    BackendSession(Backend backend, InetAddress source) {
        this.backend = backend;
        this.source = source;
    }

    /** The local address this session connected from, or null for the system's choice. */
    InetAddress source() {
        return source;
    }

    public Backend backend() {
        return backend;
    }

    /** The TLS protocol and cipher of this connection, or null in plaintext. */
    public String tls() {
        return tls;
    }

    void tls(String description) {
        this.tls = description;
    }

    public boolean offers(String keyword) {
        return capabilities.containsKey(keyword);
    }

    /** The parameters of an EHLO keyword, upper case: {@code XCLIENT NAME ADDR} gives NAME, ADDR. */
    Set<String> parametersOf(String keyword) {
        return capabilities.getOrDefault(keyword, Set.of());
    }

    void capabilities(Reply ehlo) {
        Map<String, Set<String>> keys = new HashMap<>();
        for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
            String[] words = line.toUpperCase(Locale.ROOT).trim().split("\\s+");
            keys.put(words[0], Set.copyOf(Arrays.asList(words).subList(1, words.length)));
        }
        capabilities = Map.copyOf(keys);
    }

    /** The client this session speaks for after XCLIENT ({@link ForwardedClient#identity()}), or null for mxgate itself. */
    String speaksFor() {
        return speaksFor;
    }

    void speaksFor(String identity) {
        speaksFor = identity;
    }

    /** True when this session was taken from the idle pool: the backend may have closed it meanwhile. */
    public boolean wasParked() {
        return parked;
    }

    void markParked() {
        parked = true;
    }

    /**
     * The {@link ForwardedClient#proxyBinding()} a PROXY header bound this connection to, or null:
     * a bound session may carry that client address's mail only.
     */
    String boundTo() {
        return boundTo;
    }

    void boundTo(String binding) {
        boundTo = binding;
    }

    public boolean isReusable() {
        return channel != null && channel.isActive() && !broken && pending.isEmpty();
    }

    /** True when a transaction was left open on this session: the next user sends RSET first. */
    public boolean needsReset() {
        return needsReset;
    }

    void needsReset(boolean value) {
        needsReset = value;
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** Waits for a reply without sending anything: the greeting. */
    CompletableFuture<Reply> expect(Duration timeout) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        if (channel == null || !channel.isActive()) {
            reply.completeExceptionally(lost());
            return reply;
        }
        ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> {
            broken = true;
            reply.completeExceptionally(new BackendException(BackendException.Kind.TIMEOUT,
                    backend.name() + ": no reply within " + timeout.toMillis() + "ms", null));
            channel.close();
        }, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        pending.add(new Pending(reply, timer));
        return reply;
    }

    public CompletableFuture<Reply> send(String line, Duration timeout) {
        CompletableFuture<Reply> reply = expect(timeout);
        channel.writeAndFlush(Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.UTF_8));
        return reply;
    }

    /**
     * Sends the lines in one write when the backend offers PIPELINING (RFC 2920), otherwise
     * each after the reply to the one before. One future per line, in order.
     */
    public List<CompletableFuture<Reply>> sendAll(List<String> lines, Duration timeout) {
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        if (offers("PIPELINING")) {
            for (String line : lines) {
                replies.add(expect(timeout));
                channel.write(Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.UTF_8));
            }
            channel.flush();
            return replies;
        }
        CompletableFuture<Reply> previous = CompletableFuture.completedFuture(null);
        for (String line : lines) {
            previous = previous.thenCompose(ignored -> send(line, timeout));
            replies.add(previous);
        }
        return replies;
    }

    /** Message bytes in wire form; takes over the buffer. */
    public void writeBody(ByteBuf bytes) {
        channel.writeAndFlush(bytes);
    }

    /** False while the socket's outbound buffer is over Netty's high-water mark. */
    public boolean isWritable() {
        return channel.isWritable();
    }

    /**
     * Runs the action once the outbound buffer has drained below the low-water mark, or the
     * connection is gone. Several may wait: a body being written and a client paused behind it.
     */
    public void whenWritable(Runnable action) {
        if (channel.isWritable() || !channel.isActive()) {
            action.run();
        } else {
            onWritable.add(action);
        }
    }

    private void runWritableAction() {
        List<Runnable> actions = List.copyOf(onWritable);
        onWritable.clear();
        actions.forEach(Runnable::run);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            runWritableAction();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The final dot; its reply says whether the backend took the message. */
    public CompletableFuture<Reply> endData(Duration timeout) {
        return send(".", timeout);
    }

    /** Drops the connection without another byte: how an unfinished DATA is abandoned, never with a dot. */
    public void abort() {
        broken = true;
        if (channel != null) {
            channel.close();
        }
    }

    void quit() {
        broken = true;
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.copiedBuffer("QUIT\r\n", StandardCharsets.US_ASCII))
                    .addListener(f -> channel.close());
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Reply reply) {
        Pending next = pending.poll();
        if (next == null) {
            // A reply nobody asked for (a 421 before an idle close): this session is done.
            broken = true;
            ctx.close();
            return;
        }
        next.timer().cancel(false);
        next.reply().complete(reply);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        broken = true;
        Pending p;
        while ((p = pending.poll()) != null) {
            p.timer().cancel(false);
            p.reply().completeExceptionally(lost());
        }
        runWritableAction();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        broken = true;
        if (cause.getCause() instanceof ReplyParser.MalformedReplyException malformed) {
            // A protocol error: which reply answers which command is no longer known, so every
            // pending one is lost with the connection, and the relay moves on (ReplyDecoderTest).
            badReply = malformed.getMessage();
        }
        ctx.close();
    }

    private BackendException lost() {
        String message = badReply == null ? backend.name() + ": connection lost"
                : backend.name() + ": connection closed on " + badReply;
        return new BackendException(BackendException.Kind.LOST, message, null);
    }
}
