package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxgate.config.LimitsConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.mail.Transaction;
import org.mxgate.limits.ClientLimits;
import org.mxgate.limits.LocalCounters;
import org.mxgate.net.ClientAddress;
import org.mxgate.net.NetworkSet;
import org.mxgate.policy.Policy;

/**
 * SmtpSession as a state machine driven by command lines and backend answers: sequence errors
 * are 503 5.5.1, EHLO offers exactly what is implemented, RSET and EHLO end a transaction,
 * max_errors ends the session with 421 4.7.0, and a foreign recipient from outside the relay
 * networks gets 554 5.7.1 without ever reaching a backend.
 */
class SmtpSessionTest {

    private static final String HOST = "mx.example.test";
    private static final String FOREIGN_CLIENT = "203.0.113.7";
    private static final String RELAY_CLIENT = "192.0.2.10";
    private static final int MAX_ERRORS = 5;
    private static final Policy POLICY = new Policy(new PolicyConfig("internet", Path.of("policies/internet.yml"),
            List.of("example.test"), NetworkSet.parse(List.of("192.0.2.0/24")), java.util.Map.of("*", "mailbox"),
            new LimitsConfig(1000, 3, MAX_ERRORS, Duration.ofMinutes(5)), false, org.mxgate.config.AccessConfig.NONE));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-02T10:00:00Z"), ZoneOffset.UTC);
    private static final MailAddress SENDER = new MailAddress("a", "client.test");

    @Test
    void greetsWith220() {
        assertEquals(new Step(List.of(Reply.of(220, null, HOST + " ESMTP")), null), session(FOREIGN_CLIENT).greet());
    }

    @Test
    void ehloOffersExactlyTheImplementedExtensions() {
        Step step = session(FOREIGN_CLIENT).handle("EHLO client.example.test");
        assertEquals(List.of(new Reply(250, null,
                List.of(HOST, "PIPELINING", "SIZE 1000", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8"))), step.replies());
        assertNull(step.effect());
    }

    @Test
    void heloAnswersWithOneLine() {
        assertEquals(List.of(Reply.of(250, null, HOST)), session(FOREIGN_CLIENT).handle("HELO client.example.test").replies());
    }

    @ParameterizedTest
    @ValueSource(strings = {"EHLO", "HELO", "EHLO two words", "EHLO  ", "HELO a\u0001b"})
    void heloNeedsOneName(String line) {
        assertEquals(List.of(Replies.HELO_SYNTAX), session(FOREIGN_CLIENT).handle(line).replies());
    }

    // RFC 5321 4.1.1.1 and RFC 6531 3.7.1: an 8-bit name would reach the Received header and XCLIENT HELO=.
    @ParameterizedTest
    @ValueSource(strings = {"EHLO \u00e9xample.test", "HELO \u00e9xample.test", "EHLO xn--xample-9ua.t\u00e9st"})
    void eightBitHeloNameIsRefusedAndNotTaken(String line) {
        SmtpSession session = session(FOREIGN_CLIENT);
        assertEquals(new Step(List.of(Replies.HELO_NOT_ASCII), null), session.handle(line));
        assertNull(session.helo());
        assertEquals(List.of(Replies.NEED_HELO), session.handle("MAIL FROM:<a@client.test>").replies());
        assertEquals(List.of(Reply.of(250, null, HOST)), session.handle("HELO xn--xample-9ua.test").replies());
    }

    static Stream<Arguments> linesNotInUtf8() {
        String mail = "MAIL FROM:<a@client.test> SMTPUTF8";
        return Stream.of(
                Arguments.of(List.of(), "EHLO \u00e9xample.test", Replies.BAD_UTF8),
                Arguments.of(List.of(), "NOOP \u00ff", Replies.BAD_UTF8),
                Arguments.of(List.of(), "VRFY j\u00f6rg", Replies.BAD_UTF8),
                Arguments.of(List.of(), "\u00ffOOP", Replies.BAD_UTF8),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<j\u00f6rg@client.test> SMTPUTF8", Replies.BAD_UTF8),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@cli\u00e9nt.test> SMTPUTF8 BODY=8BITMIME", Replies.BAD_UTF8),
                // RFC 6531 3.4: without SMTPUTF8, an 8-bit address gets 553 5.6.7, as a UTF-8 one does.
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<j\u00f6rg@client.test>", Replies.NEEDS_SMTPUTF8),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> SIZE=1\u00b2", Replies.SYNTAX),
                Arguments.of(List.of("EHLO c.test", mail), "RCPT TO:<j\u00f6rg@example.test>", Replies.BAD_UTF8),
                Arguments.of(List.of("EHLO c.test", "MAIL FROM:<a@client.test>"), "RCPT TO:<j\u00f6rg@example.test>",
                        Replies.NEEDS_SMTPUTF8));
    }

    /** Lines whose bytes were not UTF-8, as the decoder hands them on: one char per byte. */
    @ParameterizedTest
    @MethodSource("linesNotInUtf8")
    void lineNotInUtf8IsRefusedAndNeverRelayed(List<String> before, String latin1, Reply expected) {
        SmtpSession session = session(FOREIGN_CLIENT);
        before.forEach(session::handle);
        boolean inTransaction = session.inTransaction();
        assertEquals(new Step(List.of(expected), null), session.handle(new SmtpInput.Line(latin1, false)));
        assertEquals(inTransaction, session.inTransaction());
    }

    @Test
    void protocolLogShowsBytesThatAreNotUtf8AsHex() {
        SmtpSession session = session(FOREIGN_CLIENT);
        assertEquals("MAIL FROM:<j\\xF6rg@client.test>", session.loggable(new SmtpInput.Line("MAIL FROM:<j\u00f6rg@client.test>", false)));
        assertEquals("MAIL FROM:<j\u00f6rg@client.test>", session.loggable(new SmtpInput.Line("MAIL FROM:<j\u00f6rg@client.test>")));
    }

    static Stream<Arguments> sequenceErrors() {
        return Stream.of(
                Arguments.of(List.of(), "MAIL FROM:<a@client.test>", Replies.NEED_HELO),
                Arguments.of(List.of(), "RCPT TO:<user@example.test>", Replies.NEED_HELO),
                Arguments.of(List.of(), "DATA", Replies.NEED_HELO),
                Arguments.of(List.of("EHLO c.test"), "RCPT TO:<user@example.test>", Replies.NEED_MAIL),
                Arguments.of(List.of("EHLO c.test"), "DATA", Replies.NEED_MAIL),
                Arguments.of(List.of("EHLO c.test", "MAIL FROM:<a@client.test>"), "MAIL FROM:<b@client.test>",
                        Replies.NESTED_MAIL),
                Arguments.of(List.of("EHLO c.test", "MAIL FROM:<a@client.test>"), "DATA", Replies.NEED_RCPT),
                Arguments.of(List.of("EHLO c.test", "MAIL FROM:<a@client.test>", "RSET"), "RCPT TO:<user@example.test>",
                        Replies.NEED_MAIL),
                Arguments.of(List.of("EHLO c.test", "MAIL FROM:<a@client.test>", "EHLO c.test"), "DATA", Replies.NEED_MAIL),
                Arguments.of(List.of("EHLO c.test", "MAIL FROM:<a@client.test>", "HELO c.test"),
                        "RCPT TO:<user@example.test>", Replies.NEED_MAIL),
                Arguments.of(List.of("EHLO c.test", "MAIL FROM:<a@client.test>", "RCPT TO:<user@foreign.test>"), "DATA",
                        Replies.NO_VALID_RECIPIENTS));
    }

    @ParameterizedTest
    @MethodSource("sequenceErrors")
    void commandOutOfSequenceIsRefused(List<String> before, String line, Reply expected) {
        SmtpSession session = session(FOREIGN_CLIENT);
        before.forEach(session::handle);
        Step step = session.handle(line);
        assertEquals(new Step(List.of(expected), null), step);
    }

    @Test
    void sequenceErrorsAre503With551() {
        assertEquals("503 5.5.1 Error: send HELO/EHLO first\r\n", Replies.NEED_HELO.wire());
        assertEquals("503 5.5.1 Error: need MAIL command\r\n", Replies.NEED_MAIL.wire());
        assertEquals("503 5.5.1 Error: nested MAIL command\r\n", Replies.NESTED_MAIL.wire());
        assertEquals("503 5.5.1 Error: need RCPT command\r\n", Replies.NEED_RCPT.wire());
        assertEquals("554 5.5.1 Error: no valid recipients\r\n", Replies.NO_VALID_RECIPIENTS.wire());
    }

    static Stream<Arguments> commandReplies() {
        String mail = "MAIL FROM:<a@client.test>";
        return Stream.of(
                Arguments.of(List.of(), "NOOP", Replies.OK),
                Arguments.of(List.of(), "RSET", Replies.OK),
                Arguments.of(List.of(), "HELP", Replies.HELP),
                Arguments.of(List.of(), "VRFY user", Replies.CANNOT_VRFY),
                Arguments.of(List.of(), "VRFY", Replies.SYNTAX),
                Arguments.of(List.of(), "XYZZY", Replies.UNKNOWN_COMMAND),
                Arguments.of(List.of(), "", Replies.UNKNOWN_COMMAND),
                Arguments.of(List.of(), "EXPN staff", Replies.NOT_IMPLEMENTED),
                Arguments.of(List.of(), "STARTTLS", Replies.NOT_IMPLEMENTED),
                Arguments.of(List.of(), "AUTH PLAIN AGFiYwBkZWY=", Replies.AUTH_NOT_ENABLED),
                Arguments.of(List.of(), "BDAT 10 LAST", Replies.NOT_IMPLEMENTED),
                Arguments.of(List.of("EHLO c.test"), "mail from:<a@client.test>", Replies.SENDER_OK),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<>", Replies.SENDER_OK),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> SIZE=1000 BODY=8BITMIME", Replies.SENDER_OK),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> BODY=7bit", Replies.SENDER_OK),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<josé@client.test> SMTPUTF8", Replies.SENDER_OK),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:a@client.test", Replies.MAIL_SYNTAX),
                Arguments.of(List.of("EHLO c.test"), "MAIL TO:<a@client.test>", Replies.MAIL_SYNTAX),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test>SIZE=1", Replies.MAIL_SYNTAX),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> SIZE=1 SIZE=2", Replies.MAIL_SYNTAX),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a b@client.test>", Replies.BAD_SENDER),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@>", Replies.BAD_SENDER),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<postmaster>", Replies.BAD_SENDER),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> SIZE=big", Replies.SYNTAX),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> SIZE=", Replies.SYNTAX),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> BODY=BINARYMIME", Replies.SYNTAX),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> SMTPUTF8=yes", Replies.SYNTAX),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> AUTH=<>", Replies.UNKNOWN_PARAMETER),
                // RFC 5321 2.3.8: a NUL or a bare CR never reaches a header, a log line or a backend.
                Arguments.of(List.of(), "NOOP\0", Replies.BAD_CHARACTER),
                Arguments.of(List.of(), "HELO a\rb", Replies.BAD_CHARACTER),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> AUTH=x\0y", Replies.BAD_CHARACTER),
                // Two bad parameters: the first as written is refused, in every run of the JVM.
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> SIZE=big AUTH=<> BODY=X X=1", Replies.SYNTAX),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> AUTH=<> SIZE=big BODY=X X=1", Replies.UNKNOWN_PARAMETER),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> X=1 BODY=X SIZE=big", Replies.UNKNOWN_PARAMETER),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> BODY=X X=1 AUTH=<>", Replies.SYNTAX),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<a@client.test> SIZE=1001", Replies.MESSAGE_TOO_BIG),
                Arguments.of(List.of("EHLO c.test"), "MAIL FROM:<josé@client.test>", Replies.NEEDS_SMTPUTF8),
                Arguments.of(List.of("EHLO c.test", mail), "RCPT TO:user@example.test", Replies.RCPT_SYNTAX),
                Arguments.of(List.of("EHLO c.test", mail), "RCPT FROM:<user@example.test>", Replies.RCPT_SYNTAX),
                Arguments.of(List.of("EHLO c.test", mail), "RCPT TO:<>", Replies.BAD_RECIPIENT),
                Arguments.of(List.of("EHLO c.test", mail), "RCPT TO:<user@>", Replies.BAD_RECIPIENT),
                Arguments.of(List.of("EHLO c.test", mail), "RCPT TO:<user@example.test> NOTIFY=NEVER",
                        Replies.UNKNOWN_PARAMETER),
                Arguments.of(List.of("EHLO c.test", mail), "RCPT TO:<josé@example.test>", Replies.NEEDS_SMTPUTF8),
                Arguments.of(List.of("EHLO c.test", mail), "RCPT TO:<user@foreign.test>",
                        Replies.relayDenied(new MailAddress("user", "foreign.test"))),
                Arguments.of(List.of("EHLO c.test", mail), "RCPT TO:<user%foreign.test@example.test>",
                        Replies.relayDenied(new MailAddress("user%foreign.test", "example.test"))),
                Arguments.of(List.of("EHLO c.test", mail), "DATA now", Replies.SYNTAX));
    }

    @ParameterizedTest
    @MethodSource("commandReplies")
    void commandGetsItsReply(List<String> before, String line, Reply expected) {
        SmtpSession session = session(FOREIGN_CLIENT);
        before.forEach(session::handle);
        assertEquals(new Step(List.of(expected), null), session.handle(line));
    }

    @Test
    void relayDeniedIs554WithTheRecipient() {
        SmtpSession session = session(FOREIGN_CLIENT);
        session.handle("EHLO c.test");
        session.handle("MAIL FROM:<a@client.test>");
        Step step = session.handle("RCPT TO:<user@foreign.test>");
        assertEquals("554 5.7.1 <user@foreign.test>: Relay access denied\r\n", step.replies().get(0).wire());
        assertNull(step.effect(), "a refused recipient never reaches a backend");
    }

    @Test
    void relayNetworkClientMayRelayToForeignDomains() {
        SmtpSession session = session(RELAY_CLIENT);
        session.handle("EHLO c.test");
        session.handle("MAIL FROM:<a@client.test>");
        Step step = session.handle("RCPT TO:<user@foreign.test>");
        // The first relayed recipient fixes the transaction's route.
        assertEquals(new Step(List.of(), new Effect.RelayRecipient(session.transaction(),
                new MailAddress("user", "foreign.test"))), step);
        assertEquals(new Envelope(SENDER, -1, null, false).withRoute("mailbox"), session.transaction().envelope());
    }

    @Test
    void barePostmasterIsAcceptedFromAnyone() {
        SmtpSession session = session(FOREIGN_CLIENT);
        session.handle("EHLO c.test");
        session.handle("MAIL FROM:<a@client.test>");
        assertInstanceOf(Effect.RelayRecipient.class, session.handle("RCPT TO:<Postmaster>").effect());
    }

    @Test
    void wholeTransactionStepByStep() {
        SmtpSession session = session(FOREIGN_CLIENT);
        session.greet();
        session.handle("EHLO client.example.test");
        assertFalse(session.inTransaction());
        assertEquals(new Step(List.of(Replies.SENDER_OK), null), session.handle("MAIL FROM:<a@client.test> SIZE=500"));
        assertTrue(session.inTransaction());

        MailAddress user = new MailAddress("user", "example.test");
        Transaction transaction = session.transaction();
        assertEquals(new Step(List.of(), new Effect.RelayRecipient(transaction, user)),
                session.handle("RCPT TO:<user@example.test>"));
        assertEquals(new Envelope(SENDER, 500, null, false).withRoute("mailbox"), transaction.envelope());
        Reply backendOk = Reply.of(250, "2.1.5", "Ok from backend");
        assertEquals(new Step(List.of(backendOk), null), session.onRecipientReply(backendOk));
        assertEquals(List.of(user), transaction.recipients(), "the transaction holds what the backend accepted");

        String queueId = transaction.id().value();
        String header = "Received: from client.example.test (unknown [203.0.113.7])\r\n"
                + "\tby mx.example.test (mxgate internet) with ESMTP id " + queueId + "\r\n"
                + "\tfor <user@example.test>; Mon, 2 Jun 2025 10:00:00 +0000\r\n";
        assertEquals(new Step(List.of(), new Effect.OpenData(header)), session.handle("DATA"));

        assertEquals(new Step(List.of(Replies.START_DATA), new Effect.ReceiveBody(1000)),
                session.onDataReply(Reply.of(354, null, "go ahead")));
        assertEquals(new Step(List.of(), new Effect.FinishData()), session.onDataEnd(new DataResult(120, null)));
        Reply queued = Replies.queued(queueId, "mx1", "4AbC");
        assertEquals(new Step(List.of(queued), null), session.onDataOutcome(queued));
        assertFalse(session.inTransaction());
        assertEquals(Replies.SENDER_OK, session.handle("MAIL FROM:<b@client.test>").replies().get(0));
    }

    @Test
    void receivedHeaderNamesOneRecipientOnlyAndTheProtocol() {
        SmtpSession session = session("2001:db8::1");
        session.handle("HELO c.test");
        session.handle("MAIL FROM:<a@client.test>");
        accept(session, "RCPT TO:<u1@example.test>");
        accept(session, "RCPT TO:<u2@example.test>");
        Effect.OpenData open = (Effect.OpenData) session.handle("DATA").effect();
        assertEquals("Received: from c.test (unknown [IPv6:2001:db8:0:0:0:0:0:1])\r\n"
                + "\tby mx.example.test (mxgate internet) with SMTP id " + session.transaction().id()
                + "; Mon, 2 Jun 2025 10:00:00 +0000\r\n",
                open.receivedHeader());
    }

    @Test
    void bodyBytesPassThroughTheSessionOnlyWhileABodyIsExpected() {
        SmtpSession session = session(FOREIGN_CLIENT);
        session.handle("EHLO c.test");
        io.netty.buffer.ByteBuf bytes = io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {'x'});
        assertEquals(new Step(List.of(), null), session.onBodyChunk(bytes), "no transaction, nothing to relay");
        session.handle("MAIL FROM:<a@client.test>");
        accept(session, "RCPT TO:<u1@example.test>");
        session.handle("DATA");
        assertEquals(new Step(List.of(), null), session.onBodyChunk(bytes), "before the relay keeps a body");
        session.transaction().receiveBody(new org.mxgate.mail.MessageBody(1000, java.nio.file.Path.of(".")));
        assertEquals(new Step(List.of(), new Effect.RelayBody(bytes)), session.onBodyChunk(bytes));
        assertEquals(new Step(List.of(), new Effect.AbandonBody()), session.onBodyRefused());
        session.transaction().close();
    }

    @Test
    void smtputf8TransactionIsUtf8SmtpAndTakesUtf8Recipients() {
        SmtpSession session = session(FOREIGN_CLIENT);
        session.handle("EHLO c.test");
        session.handle("MAIL FROM:<josé@client.test> SMTPUTF8");
        accept(session, "RCPT TO:<jö@example.test>");
        Effect.OpenData open = (Effect.OpenData) session.handle("DATA").effect();
        assertTrue(open.receivedHeader().contains(" with UTF8SMTP id "), open.receivedHeader());
    }

    @Test
    void backendRefusalOfARecipientIsPassedOn() {
        SmtpSession session = session(FOREIGN_CLIENT);
        session.handle("EHLO c.test");
        session.handle("MAIL FROM:<a@client.test>");
        session.handle("RCPT TO:<nobody@example.test>");
        Reply unknown = Reply.of(550, "5.1.1", "<nobody@example.test>: Recipient address rejected");
        assertEquals(new Step(List.of(unknown), null), session.onRecipientReply(unknown));
        assertEquals(List.of(Replies.NO_VALID_RECIPIENTS), session.handle("DATA").replies());
    }

    @Test
    void backendRefusalOfDataEndsTheTransaction() {
        SmtpSession session = readyForData(FOREIGN_CLIENT);
        session.handle("DATA");
        Reply refused = Reply.of(554, "5.5.1", "Error: no valid recipients");
        assertEquals(new Step(List.of(refused), null), session.onDataReply(refused));
        assertFalse(session.inTransaction());
    }

    @Test
    void bareLineEndingRefusesTheMessageAndTheSessionGoesOn() {
        SmtpSession session = readyForData(FOREIGN_CLIENT);
        session.handle("DATA");
        session.onDataReply(Reply.of(354, null, "go ahead"));
        assertEquals(new Step(List.of(Replies.BARE_LINE_ENDING), null),
                session.onDataEnd(new DataResult(50, DataResult.Refusal.BARE_LINE_ENDING)));
        assertFalse(session.inTransaction());
        assertEquals(List.of(Replies.OK), session.handle("NOOP").replies());
    }

    @Test
    void overSizeBodyIsRefusedAfterTheDot() {
        SmtpSession session = readyForData(FOREIGN_CLIENT);
        session.handle("DATA");
        session.onDataReply(Reply.of(354, null, "go ahead"));
        assertEquals(new Step(List.of(Replies.MESSAGE_TOO_BIG), null),
                session.onDataEnd(new DataResult(5000, DataResult.Refusal.TOO_BIG)));
        assertFalse(session.inTransaction());
    }

    @Test
    void rsetEndsTheTransaction() {
        SmtpSession session = readyForData(FOREIGN_CLIENT);
        assertEquals(new Step(List.of(Replies.OK), null), session.handle("RSET"));
        assertFalse(session.inTransaction());
        assertEquals(List.of(Replies.NEED_MAIL), session.handle("DATA").replies());
        assertEquals(List.of(Replies.SENDER_OK), session.handle("MAIL FROM:<a@client.test>").replies());
    }

    // RFC 5321 4.5.3.1.8: past max_recipients the reply is 452 4.5.3, and the client sends the rest later.
    @Test
    void recipientsPastTheLimitGet452() {
        SmtpSession session = session(FOREIGN_CLIENT);
        session.handle("EHLO c.test");
        session.handle("MAIL FROM:<a@client.test>");
        accept(session, "RCPT TO:<u1@example.test>");
        accept(session, "RCPT TO:<u2@example.test>");
        accept(session, "RCPT TO:<u3@example.test>");
        assertEquals(new Step(List.of(Replies.TOO_MANY_RECIPIENTS), null), session.handle("RCPT TO:<u4@example.test>"));
    }

    @Test
    void maxErrorsEndsTheSessionWith421() {
        SmtpSession session = session(FOREIGN_CLIENT);
        for (int i = 1; i < MAX_ERRORS; i++) {
            assertEquals(new Step(List.of(Replies.UNKNOWN_COMMAND), null), session.handle("XYZZY"), "error " + i);
        }
        assertEquals(new Step(List.of(Replies.UNKNOWN_COMMAND, Replies.tooManyErrors(HOST)), new Effect.Close()),
                session.handle("XYZZY"));
        assertEquals("421 4.7.0 mx.example.test Error: too many errors\r\n", Replies.tooManyErrors(HOST).wire());
    }

    @Test
    void relayDenialsCountAsErrors() {
        SmtpSession session = session(FOREIGN_CLIENT);
        session.handle("EHLO c.test");
        session.handle("MAIL FROM:<a@client.test>");
        for (int i = 1; i < MAX_ERRORS; i++) {
            assertNull(session.handle("RCPT TO:<u" + i + "@foreign.test>").effect());
        }
        Step last = session.handle("RCPT TO:<u5@foreign.test>");
        assertEquals(List.of(Replies.relayDenied(new MailAddress("u5", "foreign.test")), Replies.tooManyErrors(HOST)),
                last.replies());
        assertEquals(new Effect.Close(), last.effect());
        assertFalse(session.inTransaction());
    }

    @Test
    void deliveredMessageClearsTheErrorCount() {
        SmtpSession session = session(FOREIGN_CLIENT);
        for (int i = 1; i < MAX_ERRORS; i++) {
            session.handle("XYZZY");
        }
        session.handle("EHLO c.test");
        session.handle("MAIL FROM:<a@client.test>");
        accept(session, "RCPT TO:<user@example.test>");
        session.handle("DATA");
        session.onDataReply(Reply.of(354, null, "go ahead"));
        session.onDataEnd(new DataResult(10, null));
        session.onDataOutcome(Reply.of(250, "2.0.0", "Ok"));
        for (int i = 1; i < MAX_ERRORS; i++) {
            assertEquals(new Step(List.of(Replies.UNKNOWN_COMMAND), null), session.handle("XYZZY"), "error " + i);
        }
        assertEquals(new Effect.Close(), session.handle("XYZZY").effect());
    }

    @Test
    void quitSays221AndCloses() {
        SmtpSession session = readyForData(FOREIGN_CLIENT);
        assertEquals(new Step(List.of(Reply.of(221, "2.0.0", HOST + " Bye")), new Effect.Close()), session.handle("QUIT"));
        assertFalse(session.inTransaction());
    }

    @Test
    void idleTimeoutSays421AndCloses() {
        SmtpSession session = readyForData(FOREIGN_CLIENT);
        assertEquals(new Step(List.of(Replies.idleTimeout(HOST)), new Effect.Close()), session.onIdleTimeout());
        assertFalse(session.inTransaction());
    }

    @Test
    void lineTooLongIs500() {
        assertEquals(new Step(List.of(Replies.LINE_TOO_LONG), null), session(FOREIGN_CLIENT).onLineTooLong());
    }

    private static SmtpSession session(String ip) {
        return new SmtpSession(HOST, "internet", () -> POLICY, ClientAddress.direct(new InetSocketAddress(ip, 40000)), CLOCK,
                new ClientLimits(new LocalCounters(), HOST, 0).forListener("internet"));
    }

    private static SmtpSession readyForData(String ip) {
        SmtpSession session = session(ip);
        session.handle("EHLO c.test");
        session.handle("MAIL FROM:<a@client.test>");
        accept(session, "RCPT TO:<user@example.test>");
        return session;
    }

    /** A recipient policy accepts and the backend takes. */
    private static void accept(SmtpSession session, String line) {
        Step step = session.handle(line);
        assertInstanceOf(Effect.RelayRecipient.class, step.effect(), line);
        assertEquals(List.of(Replies.RECIPIENT_OK), session.onRecipientReply(Replies.RECIPIENT_OK).replies());
    }
}
