package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxgate.config.DnsblConfig;
import org.mxgate.dnsbl.DnsblChecker;
import org.mxgate.dnsbl.DnsblScore;
import org.mxgate.metrics.GatewayMetrics;

/**
 * The DNS list checker against an in-test DNS server on loopback: IPv4 and IPv6 listings with
 * their TXT, weights, error answers, allow lists, a resolver that never answers or fails, and
 * the cache (answers kept for their TTL, failures only briefly).
 */
class DnsblCheckerIT {

    private static DnsblConfig config(TestDnsServer dns, List<DnsblConfig.Zone> zones, List<DnsblConfig.Zone> allow) {
        return new DnsblConfig(List.of(dns.address()), Duration.ofMillis(500), zones, allow,
                Duration.ofSeconds(60), Duration.ofHours(1), 10_000);
    }

    private static DnsblConfig.Zone zone(String name, double weight) {
        return new DnsblConfig.Zone(name, weight, List.of("127.0.0.2-127.0.0.11"), false);
    }

    private static DnsblScore check(DnsblChecker checker, String ip) throws Exception {
        return checker.check(InetAddress.getByName(ip)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void listedIpv4AndIpv6AreFoundWithTheirTextAndOthersAreClean() throws Exception {
        try (TestDnsServer dns = new TestDnsServer(false)) {
            dns.list("7.113.0.203.bl.test.", "127.0.0.2", "Listed: see https://bl.test/203.0.113.7", 300);
            dns.list("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test.", "127.0.0.4", null, 300);
            DnsblChecker checker = new DnsblChecker(config(dns, List.of(zone("bl.test", 1.0)), List.of()));
            DnsblScore v4 = check(checker, "203.0.113.7");
            assertTrue(v4.isBlocked(1.0));
            assertEquals("Listed: see https://bl.test/203.0.113.7", v4.listings().get(0).text());
            assertTrue(check(checker, "2001:db8::1").isBlocked(1.0));
            assertFalse(check(checker, "203.0.113.8").isBlocked(1.0));
        }
    }

    @Test
    void weightsAddUpAndErrorAnswersNeverCount() throws Exception {
        try (TestDnsServer dns = new TestDnsServer(false)) {
            dns.list("7.113.0.203.half-a.test.", "127.0.0.2", null, 300);
            dns.list("7.113.0.203.half-b.test.", "127.0.0.3", null, 300);
            dns.list("8.113.0.203.half-a.test.", "127.0.0.2", null, 300);
            dns.list("8.113.0.203.half-b.test.", "127.255.255.254", null, 300);
            DnsblChecker checker = new DnsblChecker(config(dns, List.of(zone("half-a.test", 0.5), zone("half-b.test", 0.5)),
                    List.of()));
            assertTrue(check(checker, "203.0.113.7").isBlocked(1.0), "listed on both");
            DnsblScore one = check(checker, "203.0.113.8");
            assertFalse(one.isBlocked(1.0), "listed on one; the other's answer is an error code");
            assertEquals(0.5, one.score());
            assertEquals(1, checker.errorAnswers());
        }
    }

    @Test
    void anAllowListedAddressPassesWhateverTheBlockListsSay() throws Exception {
        try (TestDnsServer dns = new TestDnsServer(false)) {
            dns.list("7.113.0.203.bl.test.", "127.0.0.2", null, 300);
            dns.list("7.113.0.203.wl.test.", "127.0.10.1", null, 300);
            DnsblChecker checker = new DnsblChecker(config(dns, List.of(zone("bl.test", 1.0)),
                    List.of(new DnsblConfig.Zone("wl.test", 0, List.of("127.0.0.0/16"), false))));
            DnsblScore score = check(checker, "203.0.113.7");
            assertTrue(score.allowlisted());
            assertFalse(score.isBlocked(1.0));
        }
    }

    @Test
    void aResolverThatNeverAnswersFailsOpenOrClosedAsTheZoneSays() throws Exception {
        try (TestDnsServer silent = new TestDnsServer(true)) {
            DnsblChecker open = new DnsblChecker(config(silent, List.of(zone("bl.test", 1.0)), List.of()));
            DnsblScore score = check(open, "203.0.113.7");
            assertFalse(score.isBlocked(1.0));
            assertTrue(score.failedZones().isEmpty(), "fail open: counted as not listed");
            assertEquals(1, open.failures());

            DnsblChecker closed = new DnsblChecker(config(silent,
                    List.of(new DnsblConfig.Zone("bl.test", 1.0, List.of(), true)), List.of()));
            assertEquals(List.of("bl.test"), check(closed, "203.0.113.9").failedZones());
        }
    }

    /**
     * A failed lookup is kept for failure_ttl only, not min_ttl: one DNS blip must neither refuse a
     * client for a minute (fail: closed) nor let a listed one through for a minute (fail: open).
     * The cache's clock is the test's, so "after failure_ttl" needs no sleep.
     */
    @ParameterizedTest(name = "fail closed: {0}")
    @ValueSource(booleans = {true, false})
    void aFailedLookupIsAskedAgainAfterFailureTtlWhileARealAnswerIsKeptForMinTtl(boolean failClosed) throws Exception {
        String name = "7.113.0.203.bl.test.";
        try (TestDnsServer dns = new TestDnsServer(false)) {
            dns.list(name, "127.0.0.2", "listed", 300);
            dns.serverFailure(true);
            AtomicLong nanos = new AtomicLong();
            DnsblChecker checker = new DnsblChecker(new DnsblConfig(List.of(dns.address()), Duration.ofMillis(500),
                    List.of(new DnsblConfig.Zone("bl.test", 1.0, List.of(), failClosed)), List.of(),
                    Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofSeconds(5), 10_000), nanos::get);

            DnsblScore during = check(checker, "203.0.113.7");
            assertEquals(failClosed ? List.of("bl.test") : List.of(), during.failedZones());
            assertFalse(during.isBlocked(1.0), "SERVFAIL: the listing is not known");
            assertEquals(1, checker.failures());
            int asked = dns.queriesFor(name);
            assertTrue(asked >= 1);

            // The resolver is back. Within failure_ttl the failure is still the answer, from the cache.
            dns.serverFailure(false);
            nanos.addAndGet(Duration.ofMillis(4900).toNanos());
            assertEquals(during, check(checker, "203.0.113.7"));
            assertEquals(asked, dns.queriesFor(name), "a failure is kept briefly, so a dead resolver is not hammered");

            // failure_ttl has passed, well inside min_ttl: the next check asks again and sees the listing.
            nanos.addAndGet(Duration.ofMillis(100).toNanos());
            DnsblScore after = check(checker, "203.0.113.7");
            assertTrue(after.isBlocked(1.0), "the real answer after failure_ttl");
            assertEquals(List.of(), after.failedZones());
            assertEquals(asked + 1, dns.queriesFor(name));

            // A real answer is kept for min_ttl as before: a new failure of the resolver changes nothing.
            dns.serverFailure(true);
            nanos.addAndGet(Duration.ofSeconds(55).toNanos());
            assertTrue(check(checker, "203.0.113.7").isBlocked(1.0));
            assertEquals(asked + 1, dns.queriesFor(name));
            assertEquals(1, checker.failures());
        }
    }

    @Test
    void aThousandChecksOfOneAddressAskEachZoneOnce() throws Exception {
        try (TestDnsServer dns = new TestDnsServer(false)) {
            dns.list("7.113.0.203.bl.test.", "127.0.0.2", "listed", 300);
            DnsblChecker checker = new DnsblChecker(config(dns, List.of(zone("bl.test", 1.0), zone("other.test", 1.0)),
                    List.of()));
            List<CompletableFuture<DnsblScore>> all = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                all.add(checker.check(InetAddress.getByName("203.0.113.7")));
            }
            for (CompletableFuture<DnsblScore> f : all) {
                assertTrue(f.get(5, TimeUnit.SECONDS).isBlocked(1.0));
            }
            assertEquals(1, dns.queriesFor("7.113.0.203.bl.test."));
            assertEquals(1, dns.queriesFor("7.113.0.203.other.test."));
        }
    }

    /** The metrics count per zone what the DNS server saw: one lookup, the rest from the cache, each listing, each failure. */
    @Test
    void eachZoneCountsItsLookupsCacheHitsListingsAndFailures() throws Exception {
        try (TestDnsServer dns = new TestDnsServer(false); TestDnsServer silent = new TestDnsServer(true)) {
            dns.list("7.113.0.203.bl.test.", "127.0.0.2", "listed", 300);
            GatewayMetrics metrics = new GatewayMetrics();
            DnsblChecker checker = new DnsblChecker(config(dns, List.of(zone("bl.test", 1.0), zone("other.test", 1.0)),
                    List.of()), Ticker.systemTicker(), metrics);
            List<CompletableFuture<DnsblScore>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                all.add(checker.check(InetAddress.getByName("203.0.113.7")));
            }
            for (CompletableFuture<DnsblScore> f : all) {
                assertTrue(f.get(5, TimeUnit.SECONDS).isBlocked(1.0));
            }
            MeterRegistry registry = metrics.registry();
            assertEquals(1, count(registry, "mxgate.dnsbl.lookups", "bl.test"));
            assertEquals(1, count(registry, "mxgate.dnsbl.lookups", "other.test"));
            assertEquals(99, count(registry, "mxgate.dnsbl.cache.hits", "bl.test"));
            assertEquals(100, count(registry, "mxgate.dnsbl.listed", "bl.test"));
            assertEquals(0, count(registry, "mxgate.dnsbl.listed", "other.test"));
            assertEquals(0, count(registry, "mxgate.dnsbl.failures", "bl.test"));

            DnsblChecker deaf = new DnsblChecker(config(silent, List.of(zone("dead.test", 1.0)), List.of()),
                    Ticker.systemTicker(), metrics);
            check(deaf, "203.0.113.7");
            assertEquals(1, count(registry, "mxgate.dnsbl.failures", "dead.test"));
        }
    }

    private static double count(MeterRegistry registry, String name, String zone) {
        return registry.get(name).tag("zone", zone).counter().count();
    }
}
