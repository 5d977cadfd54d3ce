package org.mxgate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** One DNS list zone's meters: lookups sent, answers from the cache, listings, failures. Thread-safe. */
public final class ZoneMeters {

    private final Counter lookups;
    private final Counter cacheHits;
    private final Counter listed;
    private final Counter failures;
    private final Counter errorAnswers;

    ZoneMeters(String zone, MeterRegistry registry) {
        this.lookups = counter(registry, "mxgate.dnsbl.lookups", "DNS queries sent to the zone (cache misses)", zone);
        this.cacheHits = counter(registry, "mxgate.dnsbl.cache.hits", "Zone answers taken from the cache", zone);
        this.listed = counter(registry, "mxgate.dnsbl.listed", "Checks in which the zone listed the client", zone);
        this.failures = counter(registry, "mxgate.dnsbl.failures", "Lookups that failed or timed out", zone);
        this.errorAnswers = counter(registry, "mxgate.dnsbl.error.answers",
                "Answers in 127.255.255.0/24: the list refuses our resolver", zone);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String zone) {
        return Counter.builder(name).description(description).tag("zone", zone).register(registry);
    }

    public void lookup() {
        lookups.increment();
    }

    public void cacheHit() {
        cacheHits.increment();
    }

    public void listed() {
        listed.increment();
    }

    public void failure() {
        failures.increment();
    }

    public void errorAnswer() {
        errorAnswers.increment();
    }
}
