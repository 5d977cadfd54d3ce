package org.mxgate.smtp;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.mxgate.dnsbl.DnsblScore;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.QueueId;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.policy.ClientFacts;
import org.mxgate.policy.Policy;
import org.mxgate.policy.Verdict;
import org.mxgate.net.ClientAddress;

/**
 * One client's SMTP dialogue as a state machine with no sockets: each input returns a
 * {@link Step} (replies and at most one effect). Every decision asks the listener's policy;
 * backend answers come back through the {@code on...} methods. Never does I/O, never blocks.
 */
public final class SmtpSession {

    private enum Phase { AWAIT_HELO, READY, MAIL, DATA_PENDING, DATA, FINISHING, CLOSED }

    private final String hostname;
    private final String listener;
    private final Supplier<Policy> policies;
    private Policy policy;
    private final ClientAddress client;
    private final Clock clock;

    private Phase phase = Phase.AWAIT_HELO;
    private String helo;
    private boolean extended;
    private Envelope envelope;
    private QueueId queueId;
    private MailAddress pendingRecipient;
    private int refusedRecipients;
    private int errors;
    private DnsblScore dnsbl;

    /** @param policies the listener's policy in force; read at EHLO and at each MAIL, so a reload applies to the next transaction */
    public SmtpSession(String hostname, String listener, Supplier<Policy> policies, ClientAddress client, Clock clock) {
        this.hostname = hostname;
        this.listener = listener;
        this.policies = policies;
        this.policy = policies.get();
        this.client = client;
        this.clock = clock;
    }

    /** RFC 5321 3.1: a client the policy refuses at connect gets a 554 instead of the 220, and is closed. */
    public Step greet() {
        Optional<Verdict> refused = policy.checkClient(facts());
        if (refused.isPresent()) {
            phase = Phase.CLOSED;
            return new Step(List.of(refused.get().reply()), new Effect.Close());
        }
        return Step.reply(Replies.greeting(hostname));
    }

    /** True from an accepted MAIL to the end of its transaction: the handler keeps its relay that long. */
    public boolean inTransaction() {
        return envelope != null;
    }

    /** The client's HELO/EHLO name, or null before one. */
    public String helo() {
        return helo;
    }

    public boolean isExtended() {
        return extended;
    }

    public QueueId queueId() {
        return queueId;
    }

    public Step handle(String line) {
        Command command = CommandParser.parse(line);
        switch (command.verb()) {
            case HELO:
            case EHLO:
                return hello(command);
            case MAIL:
                return mail(command.argument());
            case RCPT:
                return rcpt(command.argument());
            case DATA:
                return data(command.argument());
            case RSET:
                endTransaction();
                return Step.reply(Replies.OK);
            case NOOP:
                return Step.reply(Replies.OK);
            case QUIT:
                endTransaction();
                phase = Phase.CLOSED;
                return new Step(List.of(Replies.closing(hostname)), new Effect.Close());
            // RFC 5321 3.5.3: 252 when we cannot verify, rather than a refusal.
            case VRFY:
                return command.argument().isEmpty() ? error(Replies.SYNTAX) : Step.reply(Replies.CANNOT_VRFY);
            case HELP:
                return Step.reply(Replies.HELP);
            case EXPN:
            case STARTTLS:
            case AUTH:
            case BDAT:
                return error(Replies.NOT_IMPLEMENTED);
            default:
                return error(Replies.UNKNOWN_COMMAND);
        }
    }

    // RFC 5321 3.8: a server shutting down says 421 and closes; the handler calls this only
    // between transactions, so no client is cut off mid-message (DrainIT).
    public Step onShutdown() {
        endTransaction();
        phase = Phase.CLOSED;
        return new Step(List.of(Replies.shuttingDown(hostname)), new Effect.Close());
    }

    public Step onLineTooLong() {
        return error(Replies.LINE_TOO_LONG);
    }

    // RFC 5321 4.5.3.2: a server may close an idle session, saying 421 first.
    public Step onIdleTimeout() {
        endTransaction();
        phase = Phase.CLOSED;
        return new Step(List.of(Replies.idleTimeout(hostname)), new Effect.Close());
    }

    private Step hello(Command command) {
        String name = command.argument();
        if (name.isEmpty() || name.contains(" ") || !name.chars().allMatch(c -> c > 32 && c != 127)) {
            return error(Replies.HELO_SYNTAX);
        }
        // RFC 5321 4.1.4: EHLO or HELO in the middle of a transaction resets it.
        endTransaction();
        policy = policies.get();
        helo = name;
        extended = command.verb() == Verb.EHLO;
        phase = Phase.READY;
        if (!extended) {
            return Step.reply(Reply.of(250, null, hostname));
        }
        return Step.reply(new Reply(250, null, List.of(hostname, "PIPELINING",
                "SIZE " + policy.limits().maxMessageSize(), "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8")));
    }

    private Step mail(String argument) {
        if (phase == Phase.AWAIT_HELO) {
            return error(Replies.NEED_HELO);
        }
        if (envelope != null) {
            return error(Replies.NESTED_MAIL);
        }
        // A transaction runs under the policy in force at its MAIL; a reload applies to the next one.
        policy = policies.get();
        Optional<PathArgument> parsed = CommandParser.parsePathArgument(argument, "FROM");
        if (parsed.isEmpty()) {
            return error(Replies.MAIL_SYNTAX);
        }
        Optional<MailAddress> sender = MailAddress.parsePath(parsed.get().path());
        if (sender.isEmpty() || sender.get().isBarePostmaster()) {
            return error(Replies.BAD_SENDER);
        }
        Map<String, String> params = parsed.get().parameters();
        long size = -1;
        String body = null;
        for (Map.Entry<String, String> p : params.entrySet()) {
            switch (p.getKey()) {
                case "SIZE" -> {
                    if (!p.getValue().matches("\\d{1,18}")) {
                        return error(Replies.SYNTAX);
                    }
                    size = Long.parseLong(p.getValue());
                }
                case "BODY" -> {
                    body = p.getValue().toUpperCase(java.util.Locale.ROOT);
                    if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
                        return error(Replies.SYNTAX);
                    }
                }
                case "SMTPUTF8" -> {
                    if (!p.getValue().isEmpty()) {
                        return error(Replies.SYNTAX);
                    }
                }
                default -> {
                    return error(Replies.UNKNOWN_PARAMETER);
                }
            }
        }
        boolean utf8 = params.containsKey("SMTPUTF8");
        // RFC 1870 6.1: a declared size over our limit is refused at MAIL.
        if (size > policy.limits().maxMessageSize()) {
            return error(Replies.MESSAGE_TOO_BIG);
        }
        // RFC 6531 3.4: a non-ASCII address needs the SMTPUTF8 parameter.
        if (!utf8 && !sender.get().isAscii()) {
            return error(Replies.NEEDS_SMTPUTF8);
        }
        Verdict verdict = policy.checkSender(facts(), sender.get());
        if (!verdict.isAccepted()) {
            return error(verdict.reply());
        }
        envelope = new Envelope(sender.get(), size, body, utf8);
        queueId = QueueId.next();
        refusedRecipients = 0;
        phase = Phase.MAIL;
        return Step.reply(verdict.reply());
    }

    private Step rcpt(String argument) {
        if (envelope == null) {
            return error(phase == Phase.AWAIT_HELO ? Replies.NEED_HELO : Replies.NEED_MAIL);
        }
        Optional<PathArgument> parsed = CommandParser.parsePathArgument(argument, "TO");
        if (parsed.isEmpty()) {
            return error(Replies.RCPT_SYNTAX);
        }
        if (!parsed.get().parameters().isEmpty()) {
            return error(Replies.UNKNOWN_PARAMETER);
        }
        Optional<MailAddress> recipient = MailAddress.parsePath(parsed.get().path());
        if (recipient.isEmpty() || recipient.get().isNullSender()) {
            return error(Replies.BAD_RECIPIENT);
        }
        if (!envelope.smtputf8() && !recipient.get().isAscii()) {
            return error(Replies.NEEDS_SMTPUTF8);
        }
        Verdict verdict = policy.checkRecipient(facts(), envelope, recipient.get());
        if (!verdict.isAccepted()) {
            refusedRecipients++;
            return error(verdict.reply());
        }
        pendingRecipient = recipient.get();
        if (envelope.route() == null) {
            envelope = envelope.withRoute(verdict.route());
        }
        return Step.effect(new Effect.RelayRecipient(envelope, recipient.get(), verdict.route()));
    }

    /** The backend's verdict on the recipient policy accepted is the client's verdict. */
    public Step onRecipientReply(Reply reply) {
        MailAddress recipient = pendingRecipient;
        pendingRecipient = null;
        if (envelope == null) {
            return Step.reply(reply);
        }
        if (reply.isPositive()) {
            envelope = envelope.withRecipient(recipient);
            return Step.reply(reply);
        }
        refusedRecipients++;
        return error(reply);
    }

    private Step data(String argument) {
        if (envelope == null) {
            return error(phase == Phase.AWAIT_HELO ? Replies.NEED_HELO : Replies.NEED_MAIL);
        }
        if (!argument.isEmpty()) {
            return error(Replies.SYNTAX);
        }
        if (envelope.recipients().isEmpty()) {
            return error(refusedRecipients > 0 ? Replies.NO_VALID_RECIPIENTS : Replies.NEED_RCPT);
        }
        phase = Phase.DATA_PENDING;
        List<MailAddress> rcpts = envelope.recipients();
        String protocol = envelope.smtputf8() ? "UTF8SMTP" : extended ? "ESMTP" : "SMTP";
        String header = ReceivedHeader.format(helo, client.real().getAddress(),
                client.balancer() == null ? null : client.balancer().getAddress(), hostname, listener, protocol,
                queueId.value(), rcpts.size() == 1 ? rcpts.get(0).toString() : null, ZonedDateTime.now(clock));
        return Step.effect(new Effect.OpenData(queueId, header));
    }

    /** The backend's answer to DATA: its 354 lets the client send the body; anything else ends the transaction. */
    public Step onDataReply(Reply reply) {
        if (reply.code() == 354) {
            phase = Phase.DATA;
            return new Step(List.of(Replies.START_DATA), new Effect.ReceiveBody(policy.limits().maxMessageSize()));
        }
        endTransaction();
        return error(reply);
    }

    public Step onDataEnd(DataResult result) {
        if (result.refusal() == DataResult.Refusal.BARE_LINE_ENDING) {
            endTransaction();
            return error(Replies.BARE_LINE_ENDING);
        }
        if (result.refusal() == DataResult.Refusal.TOO_BIG) {
            endTransaction();
            return error(Replies.MESSAGE_TOO_BIG);
        }
        phase = Phase.FINISHING;
        return Step.effect(new Effect.FinishData());
    }

    /** 250 means a backend has it: the reply is the relay's, built from the backend's answer to the final dot. */
    public Step onDataOutcome(Reply reply) {
        endTransaction();
        if (reply.isPositive()) {
            errors = 0;
            return Step.reply(reply);
        }
        return error(reply);
    }

    private void endTransaction() {
        envelope = null;
        pendingRecipient = null;
        refusedRecipients = 0;
        if (phase != Phase.AWAIT_HELO && phase != Phase.CLOSED) {
            phase = Phase.READY;
        }
    }

    /** An error reply; past the policy's max_errors the session ends with 421 (Postfix's hard error limit). */
    private Step error(Reply reply) {
        errors++;
        if (errors < policy.limits().maxErrors()) {
            return Step.reply(reply);
        }
        endTransaction();
        phase = Phase.CLOSED;
        List<Reply> replies = new ArrayList<>(List.of(reply, Replies.tooManyErrors(hostname)));
        return new Step(replies, new Effect.Close());
    }

    private ClientFacts facts() {
        return new ClientFacts(client, helo, dnsbl);
    }

    /** What the DNS lists said about the client; the handler gives it before the first RCPT when the policy uses them. */
    public void dnsbl(DnsblScore score) {
        this.dnsbl = score;
    }
}
