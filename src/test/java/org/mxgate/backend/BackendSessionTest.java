package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mxgate.config.ServerConfig;
import org.mxgate.mail.Reply;
import org.mxgate.net.HostPort;

/**
 * BackendSession without a socket: the pipeline BackendClient gives a backend connection, in an
 * EmbeddedChannel, fed replies whole, pipelined, and one byte at a time, as Netty tests its codecs.
 * The event loop's clock is frozen, so timeouts fire only when a test moves it.
 */
class BackendSessionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedBackend peer = new EmbeddedBackend();
    private final Backend backend = peer.backend;
    private final BackendSession session = peer.session;
    private final EmbeddedChannel channel = peer.channel;

    BackendSessionTest() {
    }

    @AfterEach
    void releaseEverything() {
        peer.close();
    }

    private void advance(Duration time) {
        channel.advanceTimeBy(time.toMillis(), TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
    }

    private void offerPipelining() {
        session.capabilities(Reply.parse(250, List.of("mx1.test", "PIPELINING")));
    }

    // --- replies

    @Test
    void multiLineReplyIsOneReplyWithEveryLine() {
        CompletableFuture<Reply> ehlo = session.send("EHLO gw.test", TIMEOUT);
        assertEquals(List.of("EHLO gw.test\r\n"), peer.writes());
        peer.says("250-mx1.test greets gw.test\r\n250-PIPELINING\r\n250-XCLIENT NAME ADDR\r\n250 SIZE 10240000\r\n");
        Reply reply = ehlo.join();
        assertEquals(250, reply.code());
        assertEquals(List.of("mx1.test greets gw.test", "PIPELINING", "XCLIENT NAME ADDR", "SIZE 10240000"), reply.lines());
        session.capabilities(reply);
        assertTrue(session.offers("PIPELINING"));
        assertEquals(Set.of("NAME", "ADDR"), session.parametersOf("XCLIENT"));
        assertTrue(session.isReusable());
    }

    @Test
    void replySplitAcrossReadsCompletesOnlyWithItsLastByte() {
        CompletableFuture<Reply> ehlo = session.send("EHLO gw.test", TIMEOUT);
        String wire = "250-mx1.test\r\n250-8BITMIME\r\n250 PIPELINING\r\n";
        peer.saysOneByteAtATime(wire.substring(0, wire.length() - 1));
        assertFalse(ehlo.isDone(), "a reply is whole only at the CRLF of its last line");
        peer.says("\n");
        assertEquals(List.of("mx1.test", "8BITMIME", "PIPELINING"), ehlo.join().lines());
    }

    @Test
    void replyWithACodeAndNoTextIsAReply() {
        CompletableFuture<Reply> noop = session.send("NOOP", TIMEOUT);
        peer.says("250 \r\n");
        assertEquals(250, noop.join().code());
        assertEquals("", noop.join().text());
    }

    @Test
    void replyCodeAloneCompletesTheCommand() {
        // RFC 5321 4.2: Reply-code [ SP textstring ] CRLF. Netty's decoder threw on this, and after
        // the final dot the lost session meant a replay: a possible duplicate.
        CompletableFuture<Reply> queued = session.endData(TIMEOUT);
        peer.says("250\r\n");
        assertEquals(250, queued.join().code());
        assertEquals("", queued.join().text());
        assertTrue(channel.isActive());
        CompletableFuture<Reply> noop = session.send("NOOP", TIMEOUT);
        peer.saysOneByteAtATime("250\r\n");
        assertEquals(250, noop.join().code());
        assertTrue(session.isReusable());
    }

    @Test
    void replyLinesEndedByABareLfAreReplies() {
        CompletableFuture<Reply> ehlo = session.send("EHLO gw.test", TIMEOUT);
        peer.says("250-mx1.test\n250 PIPELINING\n");
        assertEquals(List.of("mx1.test", "PIPELINING"), ehlo.join().lines());
        assertTrue(session.isReusable());
    }

    @Test
    void pipelinedCommandsGoInOneFlushAndTheirRepliesInOneReadAreMatchedInOrder() {
        offerPipelining();
        List<CompletableFuture<Reply>> replies = session.sendAll(
                List.of("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "RCPT TO:<c@example.test>"), TIMEOUT);
        // RFC 2920 3.1: the group goes out before any reply is read.
        assertEquals("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nRCPT TO:<c@example.test>\r\n",
                String.join("", peer.writes()));
        assertFalse(session.isReusable(), "replies are outstanding");
        peer.says("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550-5.1.1 <c@example.test>: no such user\r\n550 5.1.1 here\r\n");
        assertEquals(250, replies.get(0).join().code());
        assertEquals("2.1.0", replies.get(0).join().status());
        assertEquals("2.1.5", replies.get(1).join().status());
        Reply refused = replies.get(2).join();
        assertEquals(550, refused.code());
        assertEquals("5.1.1", refused.status());
        assertEquals(List.of("<c@example.test>: no such user", "here"), refused.lines());
        assertTrue(session.isReusable());
    }

    @Test
    void pipelinedRepliesSplitMidLineAcrossReads() {
        offerPipelining();
        List<CompletableFuture<Reply>> replies = session.sendAll(List.of("MAIL FROM:<>", "RCPT TO:<b@example.test>"), TIMEOUT);
        peer.writes();
        peer.says("250 2.1.0 O");
        peer.says("k\r\n45");
        assertTrue(replies.get(0).isDone());
        assertFalse(replies.get(1).isDone());
        peer.says("2 4.3.1 Insufficient system resources\r\n");
        assertEquals(452, replies.get(1).join().code());
        assertEquals("Insufficient system resources", replies.get(1).join().text());
    }

    @Test
    void withoutPipeliningEachCommandWaitsForThePreviousReply() {
        List<CompletableFuture<Reply>> replies = session.sendAll(List.of("MAIL FROM:<>", "RCPT TO:<b@example.test>"), TIMEOUT);
        assertEquals(List.of("MAIL FROM:<>\r\n"), peer.writes());
        peer.says("250 2.1.0 Ok\r\n");
        assertEquals(List.of("RCPT TO:<b@example.test>\r\n"), peer.writes());
        peer.says("250 2.1.5 Ok\r\n");
        assertEquals(250, replies.get(1).join().code());
    }

    @Test
    void theFinalDotIsItsOwnLine() {
        session.writeBody(Unpooled.copiedBuffer("Subject: x\r\n\r\nbody\r\n", StandardCharsets.US_ASCII));
        CompletableFuture<Reply> queued = session.endData(TIMEOUT);
        assertEquals(List.of("Subject: x\r\n\r\nbody\r\n", ".\r\n"), peer.writes());
        peer.says("250 2.0.0 Ok: queued as 4XyZ\r\n");
        assertEquals("Ok: queued as 4XyZ", queued.join().text());
    }

    // --- timeouts

    @Test
    void commandTimeoutFailsTheReplyClosesTheConnectionAndLosesTheRest() {
        CompletableFuture<Reply> mail = session.send("MAIL FROM:<>", Duration.ofSeconds(10));
        advance(Duration.ofSeconds(5));
        CompletableFuture<Reply> rcpt = session.send("RCPT TO:<b@example.test>", Duration.ofSeconds(10));
        advance(Duration.ofMillis(4_999));
        assertFalse(mail.isDone());
        assertTrue(channel.isActive());
        advance(Duration.ofMillis(1));
        BackendException timeout = EmbeddedBackend.failure(mail);
        assertEquals(BackendException.Kind.TIMEOUT, timeout.kind());
        assertEquals("mx1: no reply within 10000ms", timeout.getMessage());
        assertFalse(channel.isOpen());
        assertFalse(session.isReusable());
        // The later command still had time left: it goes with the connection, as lost.
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(rcpt).kind());
    }

    @Test
    void pipelinedCommandsThatTimeOutTogetherEachFailAsTimeout() {
        offerPipelining();
        List<CompletableFuture<Reply>> replies = session.sendAll(List.of("MAIL FROM:<>", "RCPT TO:<b@example.test>"),
                Duration.ofSeconds(10));
        advance(Duration.ofSeconds(10));
        assertEquals(BackendException.Kind.TIMEOUT, EmbeddedBackend.failure(replies.get(0)).kind());
        assertEquals(BackendException.Kind.TIMEOUT, EmbeddedBackend.failure(replies.get(1)).kind());
        assertFalse(channel.isOpen());
    }

    @Test
    void eachCommandHasItsOwnTimerFromWhenItWasSent() {
        CompletableFuture<Reply> greeting = session.expect(Duration.ofSeconds(10));
        advance(Duration.ofSeconds(9));
        peer.says("220 mx1.test ESMTP\r\n");
        assertTrue(greeting.isDone());
        CompletableFuture<Reply> ehlo = session.send("EHLO gw.test", Duration.ofSeconds(10));
        // The greeting's timer is gone: the old deadline passes without effect.
        advance(Duration.ofSeconds(5));
        assertFalse(ehlo.isDone());
        assertTrue(channel.isActive());
        advance(Duration.ofSeconds(5));
        assertEquals(BackendException.Kind.TIMEOUT, EmbeddedBackend.failure(ehlo).kind());
    }

    @Test
    void aReplyInTimeCancelsTheTimer() {
        CompletableFuture<Reply> mail = session.send("MAIL FROM:<>", TIMEOUT);
        peer.says("250 2.1.0 Ok\r\n");
        advance(TIMEOUT.multipliedBy(2));
        assertEquals(250, mail.join().code());
        assertTrue(channel.isActive());
        assertTrue(session.isReusable());
    }

    // --- replies nobody asked for, and bad ones

    @Test
    void unsolicitedReplyEndsTheSession() {
        // A 421 before an idle close, sent while the session was parked.
        peer.says("421 4.4.2 mx1.test Error: timeout exceeded\r\n");
        assertFalse(channel.isOpen());
        assertFalse(session.isReusable());
    }

    @Test
    void replyBeyondTheAnsweredOnesIsUnsolicitedToo() {
        CompletableFuture<Reply> mail = session.send("MAIL FROM:<>", TIMEOUT);
        peer.says("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n");
        assertEquals(250, mail.join().code());
        assertFalse(channel.isOpen());
    }

    @Test
    void overLongReplyLineClosesTheConnectionAndLosesTheReply() {
        CompletableFuture<Reply> mail = session.send("MAIL FROM:<>", TIMEOUT);
        // Past the limit the bytes are dropped as they come, so memory stays bounded until the line ends.
        peer.says("250-" + "x".repeat(5000));
        peer.says("x".repeat(5000));
        assertFalse(mail.isDone());
        peer.says("\r\n");
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(mail).kind());
        assertFalse(channel.isOpen());
    }

    @Test
    void lineThatIsNoReplyClosesTheConnectionAndLosesTheReply() {
        CompletableFuture<Reply> mail = session.send("MAIL FROM:<>", TIMEOUT);
        peer.says("250+Ok\r\n");
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(mail).kind());
        assertFalse(channel.isOpen());
    }

    @Test
    void replyCodeOutOfRangeClosesTheConnectionAndLosesTheReply() {
        CompletableFuture<Reply> mail = session.send("MAIL FROM:<>", TIMEOUT);
        peer.says("600 what\r\n");
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(mail).kind());
        assertFalse(channel.isOpen());
    }

    @Test
    void nonDigitInTheReplyCodeClosesTheConnectionAndLosesTheReply() {
        // Netty's decoder read "25x" as 249: a positive reply to the final dot out of garbage.
        CompletableFuture<Reply> queued = session.endData(TIMEOUT);
        peer.says("25x Ok\r\n");
        BackendException lost = EmbeddedBackend.failure(queued);
        assertEquals(BackendException.Kind.LOST, lost.kind());
        assertEquals("mx1: connection closed on bad reply line \"25x Ok\": no reply code 200 to 559 at its start",
                lost.getMessage());
        assertFalse(channel.isOpen());
        assertFalse(session.isReusable());
    }

    @Test
    void nonDigitInTheReplyCodeOneByteAtATimeClosesTheConnectionToo() {
        CompletableFuture<Reply> mail = session.send("MAIL FROM:<>", TIMEOUT);
        peer.saysOneByteAtATime("25x Ok\r\n");
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(mail).kind());
        assertFalse(channel.isOpen());
    }

    @Test
    void replyCodeThatChangesInsideAReplyClosesTheConnection() {
        CompletableFuture<Reply> ehlo = session.send("EHLO gw.test", TIMEOUT);
        peer.says("250-mx1.test\r\n251 PIPELINING\r\n");
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(ehlo).kind());
        assertFalse(channel.isOpen());
    }

    @Test
    void aPositivePreliminaryReplyClosesTheConnection() {
        // RFC 5321 4.2: no 1yz reply is used in SMTP; one is out of step with any command.
        CompletableFuture<Reply> mail = session.send("MAIL FROM:<>", TIMEOUT);
        peer.says("150 Ok\r\n");
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(mail).kind());
        assertFalse(channel.isOpen());
    }

    @Test
    void repliesBehindABadLineNeverAnswerALaterCommand() {
        offerPipelining();
        List<CompletableFuture<Reply>> replies = session.sendAll(
                List.of("MAIL FROM:<>", "RCPT TO:<b@example.test>", "RCPT TO:<c@example.test>"), TIMEOUT);
        peer.says("250 2.1.0 Ok\r\n25x 2.1.5 Ok\r\n250 2.1.5 Ok\r\n");
        assertEquals(250, replies.get(0).join().code());
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(replies.get(1)).kind());
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(replies.get(2)).kind());
        assertFalse(channel.isOpen());
    }

    @Test
    void replyWithTooManyLinesClosesTheConnection() {
        CompletableFuture<Reply> ehlo = session.send("EHLO gw.test", TIMEOUT);
        peer.says("250-KEYWORD\r\n".repeat(ReplyParser.MAX_LINES));
        assertFalse(ehlo.isDone());
        peer.says("250-KEYWORD\r\n");
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(ehlo).kind());
        assertFalse(channel.isOpen());
    }

    // --- the connection closing in every phase

    @Test
    void closeBeforeTheGreetingFailsItAsLost() {
        CompletableFuture<Reply> greeting = session.expect(TIMEOUT);
        channel.close();
        BackendException lost = EmbeddedBackend.failure(greeting);
        assertEquals(BackendException.Kind.LOST, lost.kind());
        assertEquals("mx1: connection lost", lost.getMessage());
    }

    @Test
    void closeHalfWayThroughAMultiLineReplyFailsIt() {
        CompletableFuture<Reply> ehlo = session.send("EHLO gw.test", TIMEOUT);
        peer.says("250-mx1.test\r\n250-PIPE");
        channel.close();
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(ehlo).kind());
    }

    @Test
    void closeWithPipelinedRepliesPendingFailsEachStillOpen() {
        offerPipelining();
        List<CompletableFuture<Reply>> replies = session.sendAll(
                List.of("MAIL FROM:<>", "RCPT TO:<b@example.test>", "RCPT TO:<c@example.test>"), TIMEOUT);
        peer.says("250 2.1.0 Ok\r\n");
        channel.close();
        assertEquals(250, replies.get(0).join().code());
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(replies.get(1)).kind());
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(replies.get(2)).kind());
        // Their timers went with them: time passing changes nothing.
        advance(TIMEOUT);
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(replies.get(2)).kind());
    }

    @Test
    void commandOnAClosedConnectionFailsAtOnce() {
        channel.close();
        CompletableFuture<Reply> mail = session.send("MAIL FROM:<>", TIMEOUT);
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(mail).kind());
        assertFalse(session.isReusable());
    }

    @Test
    void closeWhileTheBodyIsWrittenFailsTheFinalDotAndWakesTheWriter() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        // A socket whose send buffer is full: written, not yet flushed to the wire.
        channel.write(Unpooled.copiedBuffer("a body larger than the mark\r\n", StandardCharsets.US_ASCII));
        assertFalse(session.isWritable());
        List<String> woken = new ArrayList<>();
        session.whenWritable(() -> woken.add("body"));
        assertEquals(List.of(), woken);
        channel.close();
        channel.runPendingTasks();
        assertEquals(List.of("body"), woken);
        assertEquals(BackendException.Kind.LOST, EmbeddedBackend.failure(session.endData(TIMEOUT)).kind());
    }

    // --- writability

    @Test
    void everyActionWaitingForWritabilityRunsOnceWhenTheBufferDrains() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.copiedBuffer("a body larger than the mark\r\n", StandardCharsets.US_ASCII));
        assertFalse(session.isWritable());
        List<String> woken = new ArrayList<>();
        session.whenWritable(() -> woken.add("body"));
        session.whenWritable(() -> woken.add("client reads again"));
        assertEquals(List.of(), woken);
        channel.flush();
        channel.runPendingTasks();
        assertTrue(session.isWritable());
        assertEquals(List.of("body", "client reads again"), woken);
        // Once run, they are gone: the next drain runs nothing twice.
        channel.write(Unpooled.copiedBuffer("more than sixteen bytes\r\n", StandardCharsets.US_ASCII));
        channel.flush();
        channel.runPendingTasks();
        assertEquals(2, woken.size());
    }

    @Test
    void actionThatFindsTheBufferFullAgainWaitsForTheNextDrain() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.copiedBuffer("a body larger than the mark\r\n", StandardCharsets.US_ASCII));
        List<String> woken = new ArrayList<>();
        Runnable[] chunk = new Runnable[1];
        chunk[0] = () -> {
            woken.add("chunk");
            if (woken.size() < 2) {
                channel.write(Unpooled.copiedBuffer("another chunk over the mark\r\n", StandardCharsets.US_ASCII));
                session.whenWritable(chunk[0]);
            }
        };
        session.whenWritable(chunk[0]);
        channel.flush();
        channel.runPendingTasks();
        assertEquals(1, woken.size());
        assertFalse(session.isWritable());
        channel.flush();
        channel.runPendingTasks();
        assertEquals(2, woken.size());
    }

    @Test
    void actionRunsAtOnceWhenWritableOrClosed() {
        List<String> woken = new ArrayList<>();
        session.whenWritable(() -> woken.add("writable"));
        channel.close();
        session.whenWritable(() -> woken.add("closed"));
        assertEquals(List.of("writable", "closed"), woken);
    }

    // --- leaving

    @Test
    void abortClosesWithoutAnotherByte() {
        session.abort();
        assertEquals(List.of(), peer.writes());
        assertFalse(channel.isOpen());
        assertFalse(session.isReusable());
    }

    @Test
    void quitSaysQuitThenCloses() {
        session.quit();
        assertEquals(List.of("QUIT\r\n"), peer.writes());
        assertFalse(channel.isOpen());
        assertFalse(session.isReusable());
    }

    @Test
    void quitOnAClosedConnectionWritesNothing() {
        channel.close();
        session.quit();
        assertEquals(List.of(), peer.writes());
    }

    @Test
    void freshSessionIsReusableAndKnowsNothingOfTheBackend() {
        assertTrue(session.isReusable());
        assertFalse(session.offers("PIPELINING"));
        assertNull(session.tls());
        assertNull(session.speaksFor());
        assertNull(session.boundTo());
    }
}
