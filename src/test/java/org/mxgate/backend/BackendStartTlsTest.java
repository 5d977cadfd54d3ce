package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxgate.config.BackendTlsConfig;
import org.mxgate.config.ServerConfig;
import org.mxgate.config.TlsConfig;
import org.mxgate.mail.Reply;
import org.mxgate.net.HostPort;
import org.mxgate.tls.BackendTls;
import org.mxgate.tls.ServerTls;
import org.mxgate.tls.TlsLibrary;

/**
 * STARTTLS to a backend (RFC 3207) without a socket: the backend connection's pipeline in one
 * EmbeddedChannel, the backend's TLS side in another, and the bytes carried between them by the
 * test. The backend has a self-signed certificate, as ServerTls makes one on first start.
 */
class BackendStartTlsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final BackendTlsConfig OPPORTUNISTIC = new BackendTlsConfig(BackendTlsConfig.Mode.OPPORTUNISTIC, null, false);
    private static final BackendTlsConfig REQUIRED_INSECURE = new BackendTlsConfig(BackendTlsConfig.Mode.REQUIRED, null, true);
    private static final BackendTlsConfig REQUIRED = new BackendTlsConfig(BackendTlsConfig.Mode.REQUIRED, null, false);

    private static ServerTls backendTls;

    private final EmbeddedBackend peer = new EmbeddedBackend();
    private final Backend backend = peer.backend;
    private final BackendSession session = peer.session;
    private final EmbeddedChannel channel = peer.channel;
    private EmbeddedChannel server;

    @BeforeAll
    static void selfSignedBackend(@TempDir Path dir) throws Exception {
        backendTls = ServerTls.open(new TlsConfig(dir.resolve("mx1.crt"), dir.resolve("mx1.key")), "mx1.test", TlsLibrary.JDK);
    }

    BackendStartTlsTest() {
        session.capabilities(Reply.parse(250, List.of("mx1.test", "STARTTLS", "AUTH PLAIN", "PIPELINING")));
    }

    @AfterEach
    void releaseEverything() {
        peer.close();
        if (server != null) {
            server.finishAndReleaseAll();
        }
    }

    private CompletableFuture<BackendSession> negotiate(BackendTlsConfig config) throws Exception {
        return new BackendStartTls(config, BackendTls.create(config, TlsLibrary.JDK), "gw.test").negotiate(session, TIMEOUT);
    }

    /** The backend's side of the TLS connection, which it starts after its 220. */
    private void backendStartsTls() {
        server = new EmbeddedChannel(backendTls.newHandler(ByteBufAllocator.DEFAULT, false));
    }

    /** Carries the bytes each side wrote to the other until nothing moves. */
    private void carry() {
        for (int round = 0; round < 50; round++) {
            if (!(move(channel, server) | move(server, channel))) {
                return;
            }
        }
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (ByteBuf bytes = from.readOutbound(); bytes != null; bytes = from.readOutbound()) {
            moved = true;
            if (!to.isOpen()) {
                bytes.release();
                continue;
            }
            try {
                to.writeInbound(bytes);
            } catch (RuntimeException e) {
                // A failed handshake is rethrown by the backend's EmbeddedChannel; its handshake future keeps it.
            }
        }
        return moved;
    }

    /** What the backend read in the clear, inside TLS. */
    private String backendRead() {
        StringBuilder text = new StringBuilder();
        for (ByteBuf buf = server.readInbound(); buf != null; buf = server.readInbound()) {
            text.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return text.toString();
    }

    private void backendSaysInsideTls(String wire) {
        server.writeOutbound(Unpooled.copiedBuffer(wire, StandardCharsets.US_ASCII));
        carry();
    }

    // --- offered or not, refused or not

    @Test
    void notOfferedWhileOpportunisticGoesOnInPlaintext() throws Exception {
        session.capabilities(Reply.parse(250, List.of("mx1.test", "PIPELINING")));
        assertSame(session, negotiate(OPPORTUNISTIC).join());
        assertEquals(List.of(), peer.writes());
        assertNull(session.tls());
        assertTrue(channel.isActive());
    }

    @Test
    void notOfferedWhileRequiredFailsAndCloses() throws Exception {
        session.capabilities(Reply.parse(250, List.of("mx1.test", "PIPELINING")));
        BackendException refused = EmbeddedBackend.failure(negotiate(REQUIRED_INSECURE));
        assertEquals(BackendException.Kind.REFUSED, refused.kind());
        assertEquals("mx1: does not offer STARTTLS, and the pool requires TLS", refused.getMessage());
        assertEquals(List.of(), peer.writes());
        assertFalse(channel.isOpen());
    }

    @Test
    void refusedWhileOpportunisticGoesOnInPlaintext() throws Exception {
        CompletableFuture<BackendSession> ready = negotiate(OPPORTUNISTIC);
        assertEquals(List.of("STARTTLS\r\n"), peer.writes());
        peer.says("454 4.7.0 TLS not available due to local problem\r\n");
        assertSame(session, ready.join());
        assertNull(session.tls());
        assertTrue(session.offers("AUTH"), "what the plaintext EHLO said still holds");
        assertTrue(channel.isActive());
    }

    @Test
    void refusedWhileRequiredFailsAndCloses() throws Exception {
        CompletableFuture<BackendSession> ready = negotiate(REQUIRED_INSECURE);
        peer.says("454 4.7.0 TLS not available due to local problem\r\n");
        BackendException refused = EmbeddedBackend.failure(ready);
        assertTrue(refused.getMessage().startsWith("mx1: STARTTLS refused: "), refused.getMessage());
        assertFalse(channel.isOpen());
    }

    // --- the handshake

    @Test
    void handshakeThenEhloAgainForgetsWhatPlaintextSaid() throws Exception {
        CompletableFuture<BackendSession> ready = negotiate(OPPORTUNISTIC);
        assertEquals(List.of("STARTTLS\r\n"), peer.writes());
        backendStartsTls();
        peer.says("220 2.0.0 Ready to start TLS\r\n");
        assertTrue(channel.pipeline().first() instanceof SslHandler, "TLS goes in front of the reply decoder");
        carry();
        assertFalse(ready.isDone(), "not before EHLO is answered");
        // RFC 3207 4.2: the client asks again, and only inside TLS.
        assertEquals("EHLO gw.test\r\n", backendRead());
        backendSaysInsideTls("250-mx1.test\r\n250-PIPELINING\r\n250 SIZE 10240000\r\n");
        assertSame(session, ready.join());
        assertTrue(session.tls().startsWith("TLSv1."), session.tls());
        assertFalse(session.offers("AUTH"), "the plaintext EHLO's extensions are forgotten");
        assertTrue(session.offers("SIZE"));
        // The session goes on inside TLS.
        CompletableFuture<Reply> mail = session.send("MAIL FROM:<a@example.test>", TIMEOUT);
        carry();
        assertEquals("MAIL FROM:<a@example.test>\r\n", backendRead());
        backendSaysInsideTls("250 2.1.0 Ok\r\n");
        assertEquals(250, mail.join().code());
    }

    @Test
    void plaintextInjectedBehindThe220IsNeverTakenAsAReply() throws Exception {
        // CVE-2011-0411 from the other side: bytes sent in the clear with the 220 must not pass
        // for replies inside TLS. Here they answer nothing, so the connection is dropped.
        CompletableFuture<BackendSession> ready = negotiate(OPPORTUNISTIC);
        peer.says("220 2.0.0 Ready to start TLS\r\n250-mx1.test\r\n250 AUTH PLAIN\r\n");
        BackendException refused = EmbeddedBackend.failure(ready);
        assertEquals(BackendException.Kind.REFUSED, refused.kind());
        assertTrue(refused.getMessage().startsWith("mx1: TLS handshake failed"), refused.getMessage());
        assertFalse(channel.isOpen());
    }

    @Test
    void handshakeThatNeverFinishesTimesOut() throws Exception {
        CompletableFuture<BackendSession> ready = negotiate(OPPORTUNISTIC);
        peer.says("220 2.0.0 Ready to start TLS\r\n");
        channel.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        assertFalse(ready.isDone());
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        BackendException refused = EmbeddedBackend.failure(ready);
        assertEquals(BackendException.Kind.REFUSED, refused.kind());
        assertTrue(refused.getMessage().startsWith("mx1: TLS handshake failed"), refused.getMessage());
        assertFalse(channel.isOpen());
    }

    @Test
    void closeDuringTheHandshakeFails() throws Exception {
        CompletableFuture<BackendSession> ready = negotiate(OPPORTUNISTIC);
        peer.says("220 2.0.0 Ready to start TLS\r\n");
        channel.close();
        BackendException refused = EmbeddedBackend.failure(ready);
        assertEquals("mx1: TLS handshake failed: connection closed", refused.getMessage());
    }

    @Test
    void closeBeforeTheReplyToStartTlsFailsAsLost() throws Exception {
        CompletableFuture<BackendSession> ready = negotiate(REQUIRED_INSECURE);
        channel.close();
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(ready).kind());
    }

    @Test
    void closeDuringEhloInsideTlsFailsAsLost() throws Exception {
        CompletableFuture<BackendSession> ready = negotiate(OPPORTUNISTIC);
        peer.writes();
        backendStartsTls();
        peer.says("220 2.0.0 Ready to start TLS\r\n");
        carry();
        assertEquals("EHLO gw.test\r\n", backendRead());
        channel.close();
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(ready).kind());
    }

    @Test
    void ehloRefusedInsideTlsFailsAndCloses() throws Exception {
        CompletableFuture<BackendSession> ready = negotiate(OPPORTUNISTIC);
        peer.writes();
        backendStartsTls();
        peer.says("220 2.0.0 Ready to start TLS\r\n");
        carry();
        backendRead();
        backendSaysInsideTls("554 5.7.0 go away\r\n");
        BackendException refused = EmbeddedBackend.failure(ready);
        assertTrue(refused.getMessage().startsWith("mx1: EHLO after STARTTLS refused: "), refused.getMessage());
        assertEquals(554, refused.reply().code());
        assertFalse(channel.isOpen());
    }

    @Test
    void requiredTlsRefusesACertificateItCannotVerify() throws Exception {
        // Never a silent fallback to plaintext: the backend fails, and the transaction moves on.
        CompletableFuture<BackendSession> ready = negotiate(REQUIRED);
        peer.writes();
        backendStartsTls();
        peer.says("220 2.0.0 Ready to start TLS\r\n");
        carry();
        BackendException refused = EmbeddedBackend.failure(ready);
        assertEquals(BackendException.Kind.REFUSED, refused.kind());
        assertTrue(refused.getMessage().startsWith("mx1: TLS handshake failed"), refused.getMessage());
        assertEquals("", backendRead(), "not a byte of SMTP went to the backend");
        assertFalse(channel.isOpen());
    }
}
