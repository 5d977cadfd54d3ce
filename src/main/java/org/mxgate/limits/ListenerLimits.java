package org.mxgate.limits;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.mxgate.config.ClientLimitsConfig;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.metrics.ListenerMeters;

/**
 * One listener's limits on its clients, under the policy in force (passed in with each question,
 * so a reload applies to the next connection and the next MAIL). Client addresses are counted
 * per network of the policy's prefix lengths ({@link AddressKey}), on this listener only; logins
 * are counted on every listener together, as one account is one sender wherever it logs in.
 * Addresses in {@code exempt} are not counted; the listener's and the process's caps apply to
 * every client. An event a limit refuses is not counted, so the retry hint in the refusal holds,
 * and a client that waits as it is told gets in. Thread-safe; never blocks.
 */
public final class ListenerLimits {

    /**
     * How long a session's slot may stay counted without being given back: longer than any
     * session lasts, and a shared store's safety net for an instance that stopped while holding
     * slots.
     */
    static final Duration SESSION_SLOT = Counters.SLOT;

    /** Refusals of one kind and client are logged once within this, so they cannot fill the log. */
    static final Duration LOG_QUIET = Duration.ofMinutes(1);

    private final String listener;
    private final String hostname;
    private final Counters counters;
    private final ClientLimits gateway;
    private final ListenerMeters meters;
    private final AtomicInteger sessions = new AtomicInteger();

    /** @param meters where each refusal is counted, by the key of the limit that refused */
    ListenerLimits(String listener, String hostname, Counters counters, ClientLimits gateway, ListenerMeters meters) {
        this.listener = listener;
        this.hostname = hostname;
        this.counters = counters;
        this.gateway = gateway;
        this.meters = meters;
    }

    /**
     * {@link #admitAsync} with counters that answer at once (in process): for tests and tools,
     * never on an event loop with a shared store.
     */
    public Admission admit(InetAddress client, ClientLimitsConfig limits) {
        return admitAsync(client, limits).toCompletableFuture().join();
    }

    /**
     * A new connection from {@code client} (the real address, after any PROXY header): the
     * process's cap, the listener's, the client's concurrent sessions, then its connection rate.
     * Each slot taken is given back when a later check refuses. Complete at once with counters
     * in process; with a shared store the concurrent sessions are asked of it, within its bounded
     * wait, and the answer completes on the store's thread.
     */
    public CompletionStage<Admission> admitAsync(InetAddress client, ClientLimitsConfig limits) {
        List<Runnable> slots = new ArrayList<>(3);
        if (!gateway.takeSession()) {
            return done(refuse(slots, Replies.tooManyConnections(hostname), "gateway", "max_connections"));
        }
        slots.add(gateway::giveBackSession);
        if (!ClientLimits.take(sessions, limits.maxConnections())) {
            return done(refuse(slots, Replies.tooManyConnections(hostname), "listener", "limits.max_connections"));
        }
        slots.add(sessions::decrementAndGet);
        if (limits.exempt().contains(client)) {
            return done(Admission.admitted(slots));
        }
        String from = AddressKey.of(client, limits.ipv4Prefix(), limits.ipv6Prefix());
        if (limits.maxConnectionsPerIp() <= 0) {
            return done(connectionRate(slots, from, limits));
        }
        String key = key("sessions", from);
        return counters.takeSlot(key, limits.maxConnectionsPerIp()).thenApply(open -> {
            if (open.count() > limits.maxConnectionsPerIp()) {
                return refuse(slots, Replies.tooManyConnectionsFrom(hostname, from), "sessions " + from,
                        "limits.max_connections_per_ip");
            }
            slots.add(() -> counters.release(key));
            return connectionRate(slots, from, limits);
        });
    }

    private static CompletionStage<Admission> done(Admission admission) {
        return CompletableFuture.completedFuture(admission);
    }

    /** The connection rate of the client's network, once the caps and its concurrent sessions let it in. */
    private Admission connectionRate(List<Runnable> slots, String from, ClientLimitsConfig limits) {
        if (limits.maxConnectionRatePerIp() > 0) {
            String key = key("connections", from);
            Tally rate = counters.increment(key, limits.rateWindow());
            if (rate.count() > limits.maxConnectionRatePerIp()) {
                counters.release(key);
                return refuse(slots, Replies.connectionRateFrom(hostname, from, rate.retrySeconds()), "rate " + from,
                        "limits.max_connection_rate_per_ip");
            }
        }
        return Admission.admitted(slots);
    }

    /** A MAIL command: the messages per window of the client's address and of its login (null when none). */
    public Optional<Reply> message(InetAddress client, String login, ClientLimitsConfig limits) {
        return rate("messages", client, login, limits, limits.maxMessageRatePerIp(), limits.maxMessageRatePerUser(),
                Replies::messageRate, "limits.max_message_rate_per_ip", "limits.max_message_rate_per_user");
    }

    /** A RCPT command: the recipients per window of the client's address and of its login (null when none). */
    public Optional<Reply> recipient(InetAddress client, String login, ClientLimitsConfig limits) {
        return rate("recipients", client, login, limits, limits.maxRecipientRatePerIp(), limits.maxRecipientRatePerUser(),
                Replies::recipientRate, "limits.max_recipient_rate_per_ip", "limits.max_recipient_rate_per_user");
    }

    /** Sessions open now from the client's counted network on this listener (what max_connections_per_ip counts). */
    public long sessionsFrom(InetAddress client, ClientLimitsConfig limits) {
        return counters.read(key("sessions", AddressKey.of(client, limits.ipv4Prefix(), limits.ipv6Prefix())),
                SESSION_SLOT).count();
    }

    /**
     * A client talked before the greeting (the pregreet test, which remembers it on this instance):
     * counted for {@code remember} where other instances share the counters, so they refuse it too.
     */
    public void earlyTalker(InetAddress client, Duration remember) {
        if (counters.isShared() && !remember.isZero()) {
            counters.increment(key("early", client.getHostAddress()), remember);
        }
    }

    /**
     * Whether any instance sharing the counters saw this client talk early within
     * {@code remember}: false at once when none share them (the pregreet test's own memory
     * answers for this instance); otherwise within the shared store's bounded wait.
     */
    public CompletionStage<Boolean> isEarlyTalkerAnywhere(InetAddress client, Duration remember) {
        if (!counters.isShared() || remember.isZero()) {
            return CompletableFuture.completedFuture(false);
        }
        return counters.readEverywhere(key("early", client.getHostAddress()), remember).thenApply(t -> t.count() > 0);
    }

    /** Sessions open now on this listener (what max_connections counts). */
    public int openSessions() {
        return sessions.get();
    }

    /** @param ipLimit the key of the per-address limit, and {@code userLimit} of the per-login one, for the metrics */
    private Optional<Reply> rate(String what, InetAddress client, String login, ClientLimitsConfig limits, int perIp,
                                 int perUser, BiFunction<String, Long, Reply> refusal, String ipLimit, String userLimit) {
        String addressKey = null;
        if (perIp > 0 && !limits.exempt().contains(client)) {
            String from = AddressKey.of(client, limits.ipv4Prefix(), limits.ipv6Prefix());
            addressKey = key(what, from);
            Tally tally = counters.increment(addressKey, limits.rateWindow());
            if (tally.count() > perIp) {
                counters.release(addressKey);
                meters.limitHit(ipLimit);
                return Optional.of(refusal.apply(from, tally.retrySeconds()));
            }
        }
        if (login != null && perUser > 0) {
            String userKey = "user|" + what + "|" + login.toLowerCase(Locale.ROOT);
            Tally tally = counters.increment(userKey, limits.rateWindow());
            if (tally.count() > perUser) {
                counters.release(userKey);
                if (addressKey != null) {
                    counters.release(addressKey);
                }
                meters.limitHit(userLimit);
                return Optional.of(refusal.apply(login, tally.retrySeconds()));
            }
        }
        return Optional.empty();
    }

    private Admission refuse(List<Runnable> slots, Reply reply, String reason, String limitKey) {
        slots.forEach(Runnable::run);
        meters.limitHit(limitKey);
        boolean first = counters.increment(key("refused", reason), LOG_QUIET).count() == 1;
        return Admission.refused(reply, first);
    }

    private String key(String what, String from) {
        return listener + "|" + what + "|" + from;
    }
}
