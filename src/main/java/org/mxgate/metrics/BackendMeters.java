package org.mxgate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One backend's relay meters: how each attempt on it ended, and how long it took to answer the
 * final dot. Resolved once per backend, so counting is an increment. Thread-safe.
 */
public final class BackendMeters {

    private static final Duration[] DOT_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final Counter delivered;
    private final Counter refused;
    private final Counter deferred;
    private final Counter pressure;
    private final Counter failed;
    private final Timer endOfData;
    private final TrafficHistory.Minutes deliveredMinutes;

    BackendMeters(String pool, String backend, MeterRegistry registry, TrafficHistory history) {
        this.delivered = attempts(registry, pool, backend, "delivered");
        this.refused = attempts(registry, pool, backend, "refused");
        this.deferred = attempts(registry, pool, backend, "deferred");
        this.pressure = attempts(registry, pool, backend, "pressure");
        this.failed = attempts(registry, pool, backend, "failed");
        this.endOfData = Timer.builder("mxgate.relay.duration")
                .description("How long the backend took to answer the final dot")
                .tags("pool", pool, "backend", backend).serviceLevelObjectives(DOT_BUCKETS).register(registry);
        this.deliveredMinutes = history.delivered(pool, backend);
    }

    private static Counter attempts(MeterRegistry registry, String pool, String backend, String outcome) {
        return Counter.builder("mxgate.relay.attempts").description("Relay attempts on a backend, by how they ended")
                .tags("pool", pool, "backend", backend, "outcome", outcome).register(registry);
    }

    /** The backend answered the final dot with 2xx: it has the message. */
    public void delivered() {
        delivered.increment();
        deliveredMinutes.add();
    }

    /** A 5xx that is the backend's last word on the transaction (at MAIL, DATA, the final dot, a replayed RCPT). */
    public void refused() {
        refused.increment();
    }

    /** A 4xx: the transaction moved on to another backend. */
    public void deferred() {
        deferred.increment();
    }

    /** Back pressure, 421 or 4.3.x: the transaction moved on and the backend cools down. */
    public void pressure() {
        pressure.increment();
    }

    /** No usable answer: no session, a lost connection, a timeout, a reply out of step with the dialogue. */
    public void failed() {
        failed.increment();
    }

    /** The time from the final dot to the backend's reply to it, whatever the reply. */
    public void endOfData(long nanos) {
        endOfData.record(nanos, TimeUnit.NANOSECONDS);
    }
}
