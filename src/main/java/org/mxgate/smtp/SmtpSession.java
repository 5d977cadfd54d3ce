package org.mxgate.smtp;

import io.netty.buffer.ByteBuf;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.mxgate.auth.AuthResult;
import org.mxgate.config.ListenerConfig;
import org.mxgate.dnsbl.DnsblScore;
import org.mxgate.limits.ListenerLimits;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.InstanceId;
import org.mxgate.mail.QueueIdFactory;
import org.mxgate.mail.Refusal;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.mail.Transaction;
import org.mxgate.policy.ClientFacts;
import org.mxgate.policy.Policy;
import org.mxgate.policy.Verdict;
import org.mxgate.net.ClientAddress;

/**
 * One client's SMTP dialogue as a state machine with no sockets: each input returns a
 * {@link Step} (replies and at most one effect). Every decision asks the listener's policy;
 * backend answers come back through the {@code on...} methods. Never does I/O, never blocks.
 * Argument checks live in {@link EnvelopeParser}, the AUTH exchange in {@link SessionAuth}.
 */
public final class SmtpSession {

    /** Where the dialogue stands outside a transaction; a transaction's own progress is its {@link Transaction.Phase}. */
    private enum Phase { AWAIT_HELO, READY, CLOSED }

    private final BooleanSupplier overloaded;
    private final String hostname;
    private final String listener;
    private final Supplier<Policy> policies;
    private Policy policy;
    private final ClientAddress client;
    private final Clock clock;
    private final ListenerConfig.Tls tlsMode;
    private final SessionAuth auth = new SessionAuth();
    private final ListenerLimits limits;
    private final SessionEvents events;
    private final QueueIdFactory queueIds;

    private Phase phase = Phase.AWAIT_HELO;
    private String helo;
    private boolean extended;
    private Transaction transaction;
    private MailAddress pendingRecipient;
    private int errors;
    private int junk;
    private DnsblScore dnsbl;
    private String tls;

    public SmtpSession(String hostname, String listener, Supplier<Policy> policies, ClientAddress client, Clock clock,
                       ListenerLimits limits) {
        this(hostname, listener, policies, client, clock, ListenerConfig.Tls.NONE, limits);
    }

    /**
     * @param policies the listener's policy in force; read at EHLO and at each MAIL, so a reload applies to the next transaction
     * @param tlsMode whether STARTTLS is offered (implicit TLS is reported through {@link #onTlsEstablished})
     * @param limits the listener's message and recipient rates, counted with every other session's
     */
    public SmtpSession(String hostname, String listener, Supplier<Policy> policies, ClientAddress client, Clock clock,
                       ListenerConfig.Tls tlsMode, ListenerLimits limits) {
        this(hostname, listener, policies, client, clock, tlsMode, limits, () -> false);
    }

    /** @param overloaded true while the gateway is over its own budget: new transactions get 452 4.3.1 at MAIL */
    public SmtpSession(String hostname, String listener, Supplier<Policy> policies, ClientAddress client, Clock clock,
                       ListenerConfig.Tls tlsMode, ListenerLimits limits, BooleanSupplier overloaded) {
        this(hostname, listener, policies, client, clock, tlsMode, limits, overloaded, SessionEvents.NONE);
    }

    /** @param events told of each command, accepted message, refusal and limit hit: the listener's metrics */
    public SmtpSession(String hostname, String listener, Supplier<Policy> policies, ClientAddress client, Clock clock,
                       ListenerConfig.Tls tlsMode, ListenerLimits limits, BooleanSupplier overloaded,
                       SessionEvents events) {
        // For tests of one session: queue ids of an instance of its own, named "0".
        this(hostname, listener, policies, client, clock, tlsMode, limits, overloaded, events,
                new QueueIdFactory(new InstanceId("0")));
    }

    /** @param queueIds the gateway instance's, which every transaction's id comes from */
    public SmtpSession(String hostname, String listener, Supplier<Policy> policies, ClientAddress client, Clock clock,
                       ListenerConfig.Tls tlsMode, ListenerLimits limits, BooleanSupplier overloaded,
                       SessionEvents events, QueueIdFactory queueIds) {
        this.queueIds = queueIds;
        this.events = events;
        this.overloaded = overloaded;
        this.hostname = hostname;
        this.listener = listener;
        this.policies = policies;
        this.policy = policies.get();
        this.client = client;
        this.clock = clock;
        this.tlsMode = tlsMode;
        this.limits = limits;
    }

    /** RFC 5321 3.1: a client the policy refuses at connect gets a 554 instead of the 220, and is closed. */
    public Step greet() {
        Optional<Verdict> refused = policy.checkClient(facts());
        if (refused.isEmpty()) {
            return Step.reply(Replies.greeting(hostname));
        }
        events.refused(refused.get().refusal());
        return close(refused.get().reply());
    }

    /** True from an accepted MAIL to the end of its transaction: the handler keeps its relay that long. */
    public boolean inTransaction() {
        return transaction != null;
    }

    /** The transaction in progress, or null outside one. */
    public Transaction transaction() {
        return transaction;
    }

    /** The client's HELO/EHLO name, or null before one. */
    public String helo() {
        return helo;
    }

    public boolean isExtended() {
        return extended;
    }

    /** The login this session authenticated as, or null. */
    public String login() {
        return auth.login();
    }

    /** True while an AUTH exchange waits for the client's response: the next line is SASL, not a command. */
    public boolean inAuthExchange() {
        return auth.inExchange();
    }

    /** {@link #loggable(String)} for a decoded line; bytes that are not UTF-8 show as {@code \xNN}. */
    public String loggable(SmtpInput.Line line) {
        return LoggableLine.of(line, auth.inExchange());
    }

    /**
     * The line as the protocol log may show it ({@link LoggableLine}): AUTH responses and initial
     * responses carry passwords, so they never reach a log. Call before {@link #handle}.
     */
    public String loggable(String line) {
        return LoggableLine.of(line, auth.inExchange());
    }

    /** A line that was valid UTF-8. */
    public Step handle(String line) {
        return handle(new SmtpInput.Line(line));
    }

    public Step handle(SmtpInput.Line input) {
        // RFC 5321 2.3.8: CR only as part of CRLF; and a NUL has no place in a command. Neither may
        // reach a header, a log line or a backend through a HELO name, a parameter or a login.
        if (input.text().indexOf('\0') >= 0 || input.text().indexOf('\r') >= 0) {
            auth.endExchange();
            return error(Replies.BAD_CHARACTER);
        }
        // RFC 4954 4: while an AUTH exchange runs, each line is the client's response, not a command.
        // A line that is not UTF-8 is no base64 either: it ends the exchange with 501 5.5.2.
        if (auth.inExchange()) {
            return answer(auth.respond(input.text()));
        }
        Command command = CommandParser.parse(input.text());
        events.command(command.verb());
        // RFC 3629: 8-bit bytes in a command are UTF-8 or refused, never read as something else.
        // MAIL and RCPT check later, so that an 8-bit address without SMTPUTF8 gets 553 5.6.7 first.
        if (!input.isUtf8() && command.verb() != Verb.MAIL && command.verb() != Verb.RCPT) {
            return error(Replies.BAD_UTF8);
        }
        return command(command, input.isUtf8());
    }

    private Step command(Command command, boolean isUtf8) {
        String argument = command.argument();
        return switch (command.verb()) {
            case HELO, EHLO -> hello(command);
            case MAIL -> mail(argument, isUtf8);
            case RCPT -> rcpt(argument, isUtf8);
            case DATA -> data(argument);
            case RSET -> {
                endTransaction();
                yield junk(Step.reply(Replies.OK));
            }
            case NOOP -> junk(Step.reply(Replies.OK));
            case QUIT -> {
                endTransaction();
                yield close(Replies.closing(hostname));
            }
            // RFC 5321 3.5.3: 252 when we cannot verify, rather than a refusal.
            case VRFY -> argument.isEmpty() ? error(Replies.SYNTAX) : junk(Step.reply(Replies.CANNOT_VRFY));
            case HELP -> junk(Step.reply(Replies.HELP));
            case STARTTLS -> startTls(argument);
            case AUTH -> auth(argument);
            case EXPN, BDAT -> error(Replies.NOT_IMPLEMENTED);
            default -> error(Replies.UNKNOWN_COMMAND);
        };
    }

    // RFC 5321 3.8: a server shutting down says 421 and closes; the handler calls this only
    // between transactions, so no client is cut off mid-message (DrainIT).
    public Step onShutdown() {
        endTransaction();
        return close(Replies.shuttingDown(hostname));
    }

    /**
     * RFC 4954 4: an over-long line inside an AUTH exchange fails the AUTH command with 500
     * 5.5.6, so the exchange is over and the next line is a command again; nothing pipelined
     * after it is taken as a user name or password (CommandLineIT).
     */
    public Step onLineTooLong() {
        auth.endExchange();
        return error(Replies.LINE_TOO_LONG);
    }

    // RFC 5321 4.5.3.2: a server may close an idle session, saying 421 first.
    public Step onIdleTimeout() {
        return onTimeout(Replies.idleTimeout(hostname));
    }

    /** Content slower than the policy allows: 421, and the transaction is abandoned, never half-delivered. */
    public Step onDataTooSlow() {
        return onTimeout(Replies.dataTooSlow(hostname));
    }

    public Step onSessionTooLong() {
        return onTimeout(Replies.sessionTooLong(hostname));
    }

    private Step onTimeout(Reply reply) {
        endTransaction();
        return close(reply);
    }

    private Step hello(Command command) {
        String name = command.argument();
        if (name.isEmpty() || name.contains(" ") || !name.chars().allMatch(c -> c > 32 && c != 127)) {
            return error(Replies.HELO_SYNTAX);
        }
        // RFC 5321 4.1.1.1 and RFC 6531 3.7.1: the name is ASCII, an A-label for an
        // internationalised domain, even from an SMTPUTF8 client, which cannot know yet that we
        // offer SMTPUTF8. An 8-bit name would go on in our Received header and in XCLIENT HELO=.
        if (!name.chars().allMatch(c -> c < 0x80)) {
            return error(Replies.HELO_NOT_ASCII);
        }
        // RFC 5321 4.1.4: EHLO or HELO in the middle of a transaction resets it.
        endTransaction();
        policy = policies.get();
        // A repeated greeting moves no mail; the EHLO after STARTTLS is a first one (RFC 3207 4.2 forgets the last).
        boolean repeated = helo != null;
        helo = name;
        extended = command.verb() == Verb.EHLO;
        phase = Phase.READY;
        Step reply;
        if (!extended) {
            reply = Step.reply(Reply.of(250, null, hostname));
        } else {
            boolean offerStartTls = tlsMode == ListenerConfig.Tls.STARTTLS && tls == null;
            // AUTH only over TLS (or plaintext to loopback where the policy says so): TlsAuthIT.
            boolean offerAuth = policy.offersAuth(facts());
            reply = Step.reply(EhloReply.of(hostname, policy.limits().maxMessageSize(), offerStartTls, offerAuth));
        }
        return repeated ? junk(reply) : reply;
    }

    private Step startTls(String argument) {
        if (tlsMode == ListenerConfig.Tls.NONE) {
            return error(Replies.NOT_IMPLEMENTED);
        }
        if (tls != null) {
            return error(Replies.TLS_ALREADY_ACTIVE);
        }
        if (!argument.isEmpty()) {
            return error(Replies.SYNTAX);
        }
        if (transaction != null) {
            return error(Replies.IN_TRANSACTION);
        }
        return new Step(List.of(Replies.READY_FOR_TLS), new Effect.StartTls());
    }

    /**
     * RFC 3207 4.2: once TLS is up, the client starts over with EHLO; nothing learnt in
     * plaintext (HELO name, a login) carries over. Also reported for implicit TLS.
     *
     * @param description the protocol and cipher, as in "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"
     */
    public void onTlsEstablished(String description) {
        tls = description;
        endTransaction();
        helo = null;
        extended = false;
        auth.forget();
        if (phase != Phase.CLOSED) {
            phase = Phase.AWAIT_HELO;
        }
    }

    private Step auth(String argument) {
        if (!policy.hasAuth()) {
            return error(Replies.AUTH_NOT_ENABLED);
        }
        if (phase == Phase.AWAIT_HELO) {
            return error(Replies.NEED_HELO);
        }
        // AUTH only over TLS on listeners that face the internet (TlsAuthIT).
        if (!policy.offersAuth(facts())) {
            return error(Replies.TLS_REQUIRED);
        }
        // RFC 4954 4: one AUTH per session, and none inside a transaction.
        if (auth.login() != null) {
            return error(Replies.ALREADY_AUTHENTICATED);
        }
        if (transaction != null) {
            return error(Replies.IN_TRANSACTION);
        }
        return answer(auth.start(argument));
    }

    /** What the login check said; past the brute-force limit the client is refused and closed. */
    public Step onAuthResult(AuthResult result) {
        Checked<Reply> reply = auth.onResult(result);
        if (result == AuthResult.BLOCKED) {
            events.limitHit("auth.max_failures");
            return close(reply.value());
        }
        return reply.isRefused() ? error(reply.refusal()) : Step.reply(reply.value());
    }

    /** @param isUtf8 false when the line's bytes were not UTF-8: then it is refused, whatever else it says */
    private Step mail(String argument, boolean isUtf8) {
        if (phase == Phase.AWAIT_HELO) {
            return error(Replies.NEED_HELO);
        }
        if (transaction != null) {
            return error(Replies.NESTED_MAIL);
        }
        // The back pressure we expect of a backend, applied to ourselves: over our own budget, a
        // new transaction is refused for now (not a client error), one in progress goes on.
        if (overloaded.getAsBoolean()) {
            events.refused(Refusal.OTHER);
            return Step.reply(Replies.OVERLOADED);
        }
        // A transaction runs under the policy in force at its MAIL; a reload applies to the next one.
        policy = policies.get();
        Checked<Envelope> envelope = EnvelopeParser.mailFrom(argument, isUtf8, policy.offersAuth(facts()),
                policy.limits().maxMessageSize());
        if (envelope.isRefused()) {
            return refuse(envelope.refusal(), envelope.refusal() == Replies.MESSAGE_TOO_BIG ? Refusal.SIZE : Refusal.SYNTAX);
        }
        Verdict verdict = policy.checkSender(facts(), envelope.value().sender());
        if (!verdict.isAccepted()) {
            return refuse(verdict.reply(), verdict.refusal());
        }
        Optional<Reply> overRate = limits.message(client.real().getAddress(), auth.login(), policy.clientLimits());
        if (overRate.isPresent()) {
            return refuse(overRate.get(), Refusal.LIMITS);
        }
        transaction = new Transaction(envelope.value(), queueIds.next());
        return Step.reply(verdict.reply());
    }

    /** @param isUtf8 false when the line's bytes were not UTF-8: then it is refused, whatever else it says */
    private Step rcpt(String argument, boolean isUtf8) {
        if (transaction == null) {
            return error(phase == Phase.AWAIT_HELO ? Replies.NEED_HELO : Replies.NEED_MAIL);
        }
        Checked<MailAddress> recipient = EnvelopeParser.rcptTo(argument, isUtf8, transaction.envelope().smtputf8());
        if (recipient.isRefused()) {
            return refuse(recipient.refusal(), Refusal.SYNTAX);
        }
        // Every RCPT counts, as in Postfix's smtpd_client_recipient_rate_limit: refused ones probe addresses too.
        Optional<Reply> overRate = limits.recipient(client.real().getAddress(), auth.login(), policy.clientLimits());
        if (overRate.isPresent()) {
            return refuse(overRate.get(), Refusal.LIMITS);
        }
        Verdict verdict = policy.checkRecipient(facts(), transaction.envelope(), recipient.value());
        if (!verdict.isAccepted()) {
            transaction.refused();
            return refuse(verdict.reply(), verdict.refusal());
        }
        pendingRecipient = recipient.value();
        transaction.routeTo(verdict.route());
        return Step.effect(new Effect.RelayRecipient(transaction, recipient.value()));
    }

    /** The backend's verdict on the recipient policy accepted is the client's verdict. */
    public Step onRecipientReply(Reply reply) {
        MailAddress recipient = pendingRecipient;
        pendingRecipient = null;
        if (transaction == null) {
            return Step.reply(reply);
        }
        if (reply.isPositive()) {
            transaction.accepted(recipient);
            return Step.reply(reply);
        }
        transaction.refused();
        return refuse(reply, relayRefusal(reply));
    }

    private Step data(String argument) {
        if (transaction == null) {
            return error(phase == Phase.AWAIT_HELO ? Replies.NEED_HELO : Replies.NEED_MAIL);
        }
        if (!argument.isEmpty()) {
            return error(Replies.SYNTAX);
        }
        List<MailAddress> rcpts = transaction.recipients();
        if (rcpts.isEmpty()) {
            return error(transaction.refusedRecipients() > 0 ? Replies.NO_VALID_RECIPIENTS : Replies.NEED_RCPT);
        }
        String protocol = ReceivedHeader.protocol(extended, transaction.envelope().smtputf8(), tls != null,
                auth.login() != null);
        String header = ReceivedHeader.format(helo, client.real().getAddress(),
                client.balancer() == null ? null : client.balancer().getAddress(), tls, hostname, listener, protocol,
                transaction.id().value(), rcpts.size() == 1 ? rcpts.get(0).toString() : null, ZonedDateTime.now(clock));
        return Step.effect(new Effect.OpenData(header));
    }

    /** The backend's answer to DATA: its 354 lets the client send the body; anything else ends the transaction. */
    public Step onDataReply(Reply reply) {
        if (reply.code() == 354) {
            return new Step(List.of(Replies.START_DATA), new Effect.ReceiveBody(policy.limits().maxMessageSize()));
        }
        endTransaction();
        return refuse(reply, relayRefusal(reply));
    }

    /** A piece of the message, in wire form: on to the relay, only while a body is expected. */
    public Step onBodyChunk(ByteBuf bytes) {
        if (transaction == null || transaction.phase() != Transaction.Phase.BODY) {
            return Step.NOTHING;
        }
        return Step.effect(new Effect.RelayBody(bytes));
    }

    /**
     * The body can no longer be relayed (the first bare CR or LF, or too big): no byte after it
     * may reach a backend. The reply comes after the final dot ({@link #onDataEnd}).
     */
    public Step onBodyRefused() {
        return transaction == null ? Step.NOTHING : Step.effect(new Effect.AbandonBody());
    }

    public Step onDataEnd(DataResult result) {
        if (result.isClean()) {
            return Step.effect(new Effect.FinishData());
        }
        endTransaction();
        return switch (result.refusal()) {
            case BARE_LINE_ENDING -> refuse(Replies.BARE_LINE_ENDING, Refusal.SYNTAX);
            case NUL -> refuse(Replies.NUL_IN_CONTENT, Refusal.SYNTAX);
            case TOO_BIG -> refuse(Replies.MESSAGE_TOO_BIG, Refusal.SIZE);
        };
    }

    /** 250 means a backend has it: the reply is the relay's, built from the backend's answer to the final dot. */
    public Step onDataOutcome(Reply reply) {
        endTransaction();
        if (reply.isPositive()) {
            // A delivered message clears both counts, as Postfix clears its error and junk command counts.
            errors = 0;
            junk = 0;
            events.accepted();
            return Step.reply(reply);
        }
        return refuse(reply, relayRefusal(reply));
    }

    /** The transaction is over for the session; the handler's relay releases what it kept ({@link Transaction#close}). */
    private void endTransaction() {
        transaction = null;
        pendingRecipient = null;
    }

    /** An error reply; past the policy's max_errors the session ends with 421 (Postfix's hard error limit). */
    private Step error(Reply reply) {
        errors++;
        if (errors < policy.limits().maxErrors()) {
            return Step.reply(reply);
        }
        events.limitHit("limits.max_errors");
        endTransaction();
        return close(reply, Replies.tooManyErrors(hostname));
    }

    /**
     * A command that moves no mail (NOOP, RSET, VRFY, HELP, a repeated HELO/EHLO): past the
     * policy's max_junk_commands without a delivered message, 421 and close instead of its reply,
     * as Postfix's smtpd_junk_command_limit ends such a client (JunkCommandsIT). Bad commands
     * count towards max_errors instead, never both.
     */
    private Step junk(Step step) {
        int limit = policy.clientLimits().maxJunkCommands();
        if (limit == 0 || ++junk <= limit) {
            return step;
        }
        events.limitHit("limits.max_junk_commands");
        endTransaction();
        return close(Replies.tooManyJunkCommands(hostname));
    }

    /**
     * A refused connection, sender, recipient or message: counted by its reason, then an error
     * reply like any other. Limits the session itself applies are counted as hits too (the
     * listener's own rates count theirs in ListenerLimits).
     */
    private Step refuse(Reply reply, Refusal reason) {
        events.refused(reason);
        if (reply == Replies.TOO_MANY_RECIPIENTS) {
            events.limitHit("limits.max_recipients");
        } else if (reason == Refusal.SIZE) {
            events.limitHit("limits.max_message_size");
        }
        return error(reply);
    }

    /**
     * A refusal the relay answered with: the backend's own word, or one of ours (no backend could
     * take it, the pool is busy, an odd backend reply, a local error, our own overload, no backend
     * with the extension the message needs), which the relay gives as the {@link Replies} constant.
     */
    static Refusal relayRefusal(Reply reply) {
        return reply == Replies.RELAY_FAILED || reply == Replies.POOL_BUSY || reply == Replies.BACKEND_ODD_REPLY
                || reply == Replies.LOCAL_ERROR || reply == Replies.OVERLOADED || reply == Replies.NO_SMTPUTF8_BACKEND
                || reply == Replies.NO_8BITMIME_BACKEND ? Refusal.OTHER : Refusal.BACKEND_REFUSAL;
    }

    /** The step, or the refusal as an error reply. */
    private Step answer(Checked<Step> checked) {
        return checked.isRefused() ? error(checked.refusal()) : checked.value();
    }

    /** The replies, then the connection closes. */
    private Step close(Reply... replies) {
        phase = Phase.CLOSED;
        return new Step(List.of(replies), new Effect.Close());
    }

    private ClientFacts facts() {
        return new ClientFacts(client, helo, dnsbl, auth.login(), tls != null);
    }

    /** What the DNS lists said about the client; the handler gives it before the first RCPT when the policy uses them. */
    public void dnsbl(DnsblScore score) {
        this.dnsbl = score;
    }
}
