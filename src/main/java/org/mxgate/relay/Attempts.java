package org.mxgate.relay;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.mxgate.backend.Backend;
import org.mxgate.backend.BackendPool;
import org.mxgate.log.ProtocolLog;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.metrics.BackendMeters;
import org.mxgate.metrics.GatewayMetrics;
import org.mxgate.relay.ReplyClassifier.Meaning;

/**
 * The backends one transaction may still try, and what each one's failure tells its pool. Each
 * backend is tried at most once, at most {@code max_attempts} in all, and none once the time
 * budget of the client's current command is spent. A failure marks the backend (as back
 * pressure or as a failure, as {@link ReplyClassifier} says); a backend that merely cannot take
 * this transaction (an extension it lacks, a replayed recipient it refuses) is passed over
 * without a mark and without using up an attempt for the extension case.
 */
final class Attempts {

    private final BackendPool pool;
    private final LongSupplier nanoTime;
    private final ProtocolLog log;
    private final GatewayMetrics metrics;
    private final Set<Backend> tried = new HashSet<>();
    private int count;
    private long deadline;
    // The final refusal when every backend lacked an extension this transaction needs, and
    // whether any backend fell short for another reason (then a later retry may succeed).
    private Reply unsupported;
    private boolean failedOtherwise;

    /**
     * @param nanoTime a monotonic clock in nanoseconds: {@code System::nanoTime}, or a test's own
     * @param metrics where each attempt's end is counted, by backend and how it ended
     */
    Attempts(BackendPool pool, LongSupplier nanoTime, ProtocolLog log, GatewayMetrics metrics) {
        this.pool = pool;
        this.nanoTime = nanoTime;
        this.log = log;
        this.metrics = metrics;
    }

    /** True before the first backend was chosen: the pool's admission control applies then. */
    boolean isFirst() {
        return count == 0;
    }

    /** The next backend to try, or null when none may be tried any more. */
    Backend next() {
        if (count >= pool.config().maxAttempts() || nanoTime.getAsLong() - deadline > 0) {
            return null;
        }
        Backend backend = pool.choose(tried);
        if (backend != null) {
            tried.add(backend);
            count++;
        }
        return backend;
    }

    /**
     * The client's reply when no backend is left: the refusal of a message that no backend can
     * take (final, never a downgrade: RFC 6531 3.2, RFC 6152), otherwise 451 4.4.1, worth a retry.
     */
    Reply exhausted() {
        return unsupported != null && !failedOtherwise ? unsupported : Replies.RELAY_FAILED;
    }

    /** Each client command gets the whole budget anew: it bounds what the client waits for one reply. */
    void startBudget() {
        deadline = nanoTime.getAsLong() + pool.config().timeBudget().toNanos();
    }

    Duration commandTimeout() {
        return withinBudget(pool.config().commandTimeout());
    }

    Duration dataTimeout() {
        return withinBudget(pool.config().dataTimeout());
    }

    private Duration withinBudget(Duration limit) {
        Duration remaining = Duration.ofNanos(Math.max(1_000_000, deadline - nanoTime.getAsLong()));
        return limit.compareTo(remaining) < 0 ? limit : remaining;
    }

    /**
     * The backend failed this transaction at {@code stage}: back pressure or a failure for its
     * health, as the meaning says (NEXT_BACKEND or PRESSURE), and logged with the reason.
     */
    void failed(Backend backend, String stage, Reply reply, Meaning meaning) {
        String what = "failed at " + stage + ": " + (reply == null ? "no reply (connection lost or timed out)" : reply);
        log.backendEvent(backend.name(), what);
        failedOtherwise = true;
        BackendMeters meters = meters(backend);
        if (meaning == Meaning.PRESSURE) {
            meters.pressure();
            pool.reportPressure(backend, what);
        } else {
            if (reply != null && reply.code() / 100 == 4) {
                meters.deferred();
            } else {
                meters.failed();
            }
            pool.report(backend, false, what);
        }
    }

    /** The backend could not even open a session (refused greeting, no STARTTLS where required…). */
    void couldNotOpen(Backend backend, String why) {
        String what = "cannot open session: " + why;
        log.backendEvent(backend.name(), what);
        meters(backend).failed();
        pool.report(backend, false, what);
        failedOtherwise = true;
    }

    /** A replayed recipient refused: not this backend's fault, but its back pressure still counts. */
    void refusedReplay(Backend backend, Reply reply) {
        String what = "cannot take the transaction: replayed RCPT refused: " + reply;
        log.backendEvent(backend.name(), what);
        failedOtherwise = true;
        if (ReplyClassifier.isPressure(reply)) {
            meters(backend).pressure();
            pool.reportPressure(backend, what);
        } else if (reply.code() / 100 == 5) {
            meters(backend).refused();
        } else {
            meters(backend).deferred();
        }
    }

    /**
     * The backend's last word on the transaction: 2xx to the final dot (delivered), a 5xx at MAIL,
     * DATA or the dot (refused), or a reply to the dot out of step with the dialogue (failed).
     */
    void answered(Backend backend, Reply reply) {
        BackendMeters meters = meters(backend);
        switch (reply.code() / 100) {
            case 2 -> meters.delivered();
            case 5 -> meters.refused();
            default -> meters.failed();
        }
    }

    /** The backend answered the final dot, sent at {@code sentNanos} on this clock. */
    void answeredDot(Backend backend, long sentNanos) {
        meters(backend).endOfData(nanoTime.getAsLong() - sentNanos);
    }

    private BackendMeters meters(Backend backend) {
        return metrics.backend(backend.pool(), backend.name());
    }

    /**
     * The backend lacks an extension the transaction needs: unable, not unhealthy. No mark, and
     * the attempt is given back, so each backend is still tried once.
     */
    void lacks(Backend backend, String extension) {
        log.backendEvent(backend.name(), "does not offer " + extension
                + ", which this transaction needs; trying another backend");
        unsupported = extension.equals("SMTPUTF8") ? Replies.NO_SMTPUTF8_BACKEND : Replies.NO_8BITMIME_BACKEND;
        count--;
    }

    /**
     * Exchange delays its answer before it refuses under load: a MAIL FROM accepted slower than
     * {@code slow_mail_from} puts the backend under back pressure for the next transactions.
     */
    void noteMailAnswered(Backend backend, long sentNanos, Reply mail) {
        Duration limit = pool.config().slowMailFrom();
        long tookMillis = (nanoTime.getAsLong() - sentNanos) / 1_000_000;
        if (mail != null && mail.isPositive() && !limit.isZero() && tookMillis > limit.toMillis()) {
            String what = "MAIL FROM answered after " + tookMillis + " ms";
            log.backendEvent(backend.name(), what);
            pool.reportPressure(backend, what);
        }
    }

    long now() {
        return nanoTime.getAsLong();
    }
}
