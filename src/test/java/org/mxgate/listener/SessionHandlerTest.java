package org.mxgate.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mxgate.backend.ForwardedClient;
import org.mxgate.config.AccessConfig;
import org.mxgate.config.LimitsConfig;
import org.mxgate.config.ListenerConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.config.ProxyProtocolConfig;
import org.mxgate.limits.ClientLimits;
import org.mxgate.limits.LocalCounters;
import org.mxgate.log.ProtocolLog;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Reply;
import org.mxgate.mail.Transaction;
import org.mxgate.net.ClientAddress;
import org.mxgate.net.HostPort;
import org.mxgate.net.NetworkSet;
import org.mxgate.policy.Policy;
import org.mxgate.relay.TransactionRelay;
import org.mxgate.smtp.ReplyEncoder;
import org.mxgate.smtp.SmtpLineDecoder;

/**
 * SessionHandler as Netty tests codecs: an EmbeddedChannel with the listener's line decoder and
 * reply encoder, input fed in pieces, and a relay whose answers the test gives when it chooses.
 * Pipelined commands are answered in order, each once, and nothing is read while the relay has
 * not answered; body bytes reach the relay and are released; a close in every phase ends the
 * relay; idle and drain end a session only between commands.
 */
class SessionHandlerTest {

    private static final Policy POLICY = new Policy(new PolicyConfig("internet", Path.of("policies/internet.yml"),
            List.of("example.test"), NetworkSet.parse(List.of()), Map.of("*", "mailbox"),
            new LimitsConfig(100_000, 10, 10, Duration.ofMinutes(5)), false, AccessConfig.NONE));

    /** The relay's side, scripted: each call leaves a future the test completes. */
    private static final class ScriptedRelay implements TransactionRelay {
        final List<String> calls = new ArrayList<>();
        final List<CompletableFuture<Reply>> pending = new ArrayList<>();
        final StringBuilder body = new StringBuilder();
        boolean backlogged;
        Runnable drained;
        boolean closed;

        private CompletableFuture<Reply> call(String what) {
            calls.add(what);
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            pending.add(reply);
            return reply;
        }

        void answer(int code, String text) {
            pending.remove(0).complete(Reply.of(code, null, text));
        }

        @Override
        public CompletableFuture<Reply> addRecipient(MailAddress recipient) {
            return call("RCPT " + recipient);
        }

        @Override
        public CompletableFuture<Reply> beginData(String receivedHeader) {
            return call("DATA");
        }

        @Override
        public void bodyChunk(ByteBuf chunk) {
            body.append(chunk.toString(StandardCharsets.US_ASCII));
        }

        @Override
        public boolean isBacklogged() {
            return backlogged;
        }

        @Override
        public void whenDrained(Runnable action) {
            drained = action;
        }

        @Override
        public void abandonBody() {
            calls.add("abandon");
        }

        @Override
        public CompletableFuture<Reply> finishData() {
            return call("dot");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final ScriptedRelay relay = new ScriptedRelay();
    private final List<Transaction> opened = new ArrayList<>();
    private EmbeddedChannel channel;

    private EmbeddedChannel connect() throws Exception {
        TransactionRelay.Opener opener = (Transaction transaction, ProtocolLog log, ForwardedClient client, EventLoop loop) -> {
            opened.add(transaction);
            return relay;
        };
        ListenerConfig config = new ListenerConfig("internet", HostPort.parse("127.0.0.1:25"), "internet",
                ProxyProtocolConfig.NONE, null);
        ListenerServices services = new ListenerServices(config, "mx.example.test", opener, Clock.systemUTC(),
                new NatSuspicion("internet", Clock.systemUTC()), null, null, null,
                new ClientLimits(new LocalCounters(), "mx.example.test", 0).forListener("internet"));
        SmtpLineDecoder decoder = new SmtpLineDecoder();
        channel = new EmbeddedChannel(false, true);
        channel.attr(ProxyHeaderHandler.CLIENT).set(
                ClientAddress.direct(new InetSocketAddress("203.0.113.7", 40000)));
        channel.pipeline().addLast(decoder, ReplyEncoder.INSTANCE, new SessionHandler(services, () -> POLICY, decoder));
        channel.register();
        return channel;
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    /** Feeds the text one byte at a time, as a slow network would. */
    private void send(String text) {
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        channel.runPendingTasks();
    }

    /** Every reply line written so far, in order. */
    private List<String> replies() {
        List<String> lines = new ArrayList<>();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            for (String line : out.toString(StandardCharsets.US_ASCII).split("\r\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            out.release();
        }
        return lines;
    }

    private void answer(int code, String text) {
        relay.answer(code, text);
        channel.runPendingTasks();
    }

    /** A session whose client has been told 354: the next bytes are the message. */
    private void inBody() throws Exception {
        connect();
        send("EHLO c.test\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<u1@example.test>\r\n");
        answer(250, "2.1.5 Ok");
        send("DATA\r\n");
        // What the relay does at DATA: the transaction keeps the body from here on.
        opened.get(0).receiveBody(new org.mxgate.mail.MessageBody(1000, Path.of(".")));
        answer(354, "go ahead");
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrderAndNothingIsReadWhileTheRelayThinks() throws Exception {
        connect();
        assertEquals(List.of("220 mx.example.test ESMTP"), replies());
        send("EHLO c.test\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<u1@example.test>\r\nRCPT TO:<u2@example.test>\r\nNOOP\r\n");
        List<String> first = replies();
        assertEquals("250 2.1.0 Ok", first.get(first.size() - 1));
        assertEquals(List.of("RCPT u1@example.test"), relay.calls, "the second RCPT waits for the first's answer");

        answer(250, "2.1.5 Ok u1");
        assertEquals(List.of("250 2.1.5 Ok u1"), replies());
        assertEquals(List.of("RCPT u1@example.test", "RCPT u2@example.test"), relay.calls);
        answer(550, "5.1.1 No such user u2");
        assertEquals(List.of("550 5.1.1 No such user u2", "250 2.0.0 Ok"), replies(), "then the NOOP, in order");
        assertEquals(1, opened.size(), "one relay for the transaction");
        assertEquals(List.of(new MailAddress("u1", "example.test")), opened.get(0).recipients(),
                "the transaction holds what the backend accepted, once");
    }

    @Test
    void bodyGoesThroughTheSessionToTheRelayAndTheDotWaitsForItsAnswer() throws Exception {
        inBody();
        replies();
        send("Subject: x\r\n\r\nhello\r\n.\r\nQUIT\r\n");
        assertEquals("Subject: x\r\n\r\nhello\r\n", relay.body.toString());
        assertEquals("dot", relay.calls.get(relay.calls.size() - 1));
        assertEquals(List.of(), replies(), "QUIT waits behind the final dot");
        answer(250, "2.0.0 Ok: queued as ABC");
        assertEquals(List.of("250 2.0.0 Ok: queued as ABC", "221 2.0.0 mx.example.test Bye"), replies());
        assertTrue(relay.closed, "the transaction ended with the 250");
    }

    @Test
    void aBackloggedRelayStopsTheBodyUntilItHasDrained() throws Exception {
        inBody();
        relay.backlogged = true;
        send("line one\r\nline two\r\n");
        int taken = relay.body.length();
        assertTrue(taken > 0 && taken < "line one\r\nline two\r\n".length(), "stops after the chunk that backlogged: " + taken);
        relay.backlogged = false;
        relay.drained.run();
        channel.runPendingTasks();
        assertEquals("line one\r\nline two\r\n", relay.body.toString());
    }

    @Test
    void aBareLineEndingAbandonsTheBackendTransaction() throws Exception {
        inBody();
        replies();
        send("good\r\nsmuggled\n.\r\n");
        assertTrue(relay.calls.contains("abandon"), relay.calls.toString());
        assertEquals("good\r\nsmuggled", relay.body.toString(), "nothing after the bare LF");
        send("more\r\n.\r\n");
        assertFalse(relay.calls.contains("dot"), "no final dot reaches the relay");
        assertTrue(replies().get(0).startsWith("550 5.6.11 "), "Replies.BARE_LINE_ENDING after the dot");
    }

    @Test
    void aCloseWhileTheRelayThinksEndsTheRelayAndAnswersNothing() throws Exception {
        connect();
        send("EHLO c.test\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<u1@example.test>\r\n");
        replies();
        channel.close();
        assertTrue(relay.closed);
        relay.answer(250, "2.1.5 Ok");
        channel.runPendingTasks();
        assertEquals(List.of(), replies(), "a late answer finds the session gone");
    }

    @Test
    void aCloseInTheBodyEndsTheRelay() throws Exception {
        connect();
        send("EHLO c.test\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<u1@example.test>\r\n");
        answer(250, "2.1.5 Ok");
        send("DATA\r\n");
        answer(354, "go ahead");
        send("half a mess");
        channel.close();
        assertTrue(relay.closed);
    }

    @Test
    void idleTimeoutIsIgnoredWhileTheRelayThinksAndEndsTheSessionOtherwise() throws Exception {
        connect();
        send("EHLO c.test\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<u1@example.test>\r\n");
        replies();
        channel.pipeline().fireUserEventTriggered(new ClientTimeouts.Expired(ClientTimeouts.Kind.COMMAND));
        assertEquals(List.of(), replies(), "a client waiting on a backend is not idle");
        answer(250, "2.1.5 Ok");
        replies();
        channel.pipeline().fireUserEventTriggered(new ClientTimeouts.Expired(ClientTimeouts.Kind.COMMAND));
        assertEquals(List.of("421 4.4.2 mx.example.test Error: timeout exceeded"), replies());
        channel.runPendingTasks();
        assertFalse(channel.isOpen());
        assertTrue(relay.closed);
    }

    @Test
    void drainingEndsASessionOnlyBetweenTransactions() throws Exception {
        connect();
        send("EHLO c.test\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<u1@example.test>\r\n");
        replies();
        channel.pipeline().fireUserEventTriggered(SessionDrain.INSTANCE);
        assertEquals(List.of(), replies(), "not in the middle of a transaction");
        answer(250, "2.1.5 Ok");
        send("RSET\r\n");
        List<String> lines = replies();
        assertEquals("421 4.3.2 mx.example.test Service shutting down, closing transmission channel",
                lines.get(lines.size() - 1));
    }

    @Test
    void aClientThatReadsNothingIsClosedAfterTheGrace() throws Exception {
        connect();
        channel.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1, 2));
        send("QUIT\r\n");
        // EmbeddedChannel takes every write; what matters is the timer that closes regardless.
        channel.advanceTimeBy(SessionHandler.CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
        assertNull(channel.readInbound());
    }
}
