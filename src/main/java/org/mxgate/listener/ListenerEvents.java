package org.mxgate.listener;

import io.micrometer.core.instrument.Counter;
import java.util.Locale;
import org.mxgate.mail.Refusal;
import org.mxgate.metrics.GatewayMetrics;
import org.mxgate.metrics.ListenerMeters;
import org.mxgate.smtp.SessionEvents;
import org.mxgate.smtp.Verb;

/**
 * What every session of one listener reports, counted in that listener's meters. The counter of
 * each verb is resolved when the listener starts, so a command costs an array read and an
 * increment. Shared by the listener's sessions; thread-safe.
 */
final class ListenerEvents implements SessionEvents {

    private final ListenerMeters meters;
    private final Counter[] commands = new Counter[Verb.values().length];

    ListenerEvents(ListenerMeters meters) {
        this.meters = meters;
        for (Verb verb : Verb.values()) {
            commands[verb.ordinal()] = meters.command(verb.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Counted in meters of their own, which nothing reads: for tests of one session or handler. */
    static ListenerEvents unread(String listener) {
        return new ListenerEvents(new GatewayMetrics().listener(listener));
    }

    ListenerMeters meters() {
        return meters;
    }

    @Override
    public void command(Verb verb) {
        commands[verb.ordinal()].increment();
    }

    @Override
    public void accepted() {
        meters.accepted();
    }

    @Override
    public void refused(Refusal reason) {
        meters.refused(reason);
    }

    @Override
    public void limitHit(String limit) {
        meters.limitHit(limit);
    }
}
