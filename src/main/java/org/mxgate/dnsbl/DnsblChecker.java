package org.mxgate.dnsbl;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.mxgate.config.DnsblConfig;
import org.mxgate.metrics.GatewayMetrics;
import org.mxgate.metrics.ZoneMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Looks a client address up in every configured zone at once, with dnsjava's asynchronous
 * resolver, and keeps the answers in a Caffeine cache for their TTL (within the configured
 * bounds), so concurrent sessions from one address share one lookup per zone, as postscreen
 * does. A lookup that fails or times out counts as "not listed" unless its zone fails closed, and
 * is kept for the short failure_ttl only.
 * Never blocks the caller; the futures complete on dnsjava's threads.
 */
public final class DnsblChecker {

    private static final Logger LOG = LoggerFactory.getLogger(DnsblChecker.class);

    private record Key(InetAddress client, DnsblConfig.Zone zone) {
    }

    /** One zone's word on one address. */
    private record ZoneAnswer(boolean listed, String text, boolean failed, long ttlSeconds) {
    }

    private final DnsblConfig config;
    private final Resolver resolver;
    private final AsyncCache<Key, ZoneAnswer> cache;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong errorAnswers = new AtomicLong();
    private final AtomicBoolean warnedErrorAnswer = new AtomicBoolean();
    private final Map<DnsblConfig.Zone, ZoneMeters> meters = new IdentityHashMap<>();

    public DnsblChecker(DnsblConfig config) throws UnknownHostException {
        this(config, Ticker.systemTicker());
    }

    /** @param ticker the cache's clock, in nanoseconds; tests pass their own to move time on */
    public DnsblChecker(DnsblConfig config, Ticker ticker) throws UnknownHostException {
        this(config, ticker, new GatewayMetrics());
    }

    /** @param metrics where each zone's lookups, cache hits, listings and failures are counted */
    public DnsblChecker(DnsblConfig config, Ticker ticker, GatewayMetrics metrics) throws UnknownHostException {
        this.config = config;
        config.zones().forEach(zone -> meters.put(zone, metrics.dnsblZone(zone.zone())));
        config.allowlists().forEach(zone -> meters.put(zone, metrics.dnsblZone(zone.zone())));
        Resolver r;
        if (config.resolvers().isEmpty()) {
            r = new ExtendedResolver();
        } else {
            List<Resolver> each = new ArrayList<>();
            config.resolvers().forEach(address -> each.add(new SimpleResolver(address)));
            r = new ExtendedResolver(each);
        }
        ((ExtendedResolver) r).setRetries(1);
        r.setTimeout(config.timeout());
        this.resolver = r;
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.cacheSize())
                .ticker(ticker)
                .expireAfter(Expiry.<Key, ZoneAnswer>creating((key, answer) -> keptFor(config, answer)))
                .buildAsync();
    }

    /**
     * An answer is kept for its TTL within min_ttl and max_ttl; a failure only for failure_ttl,
     * which is short: long enough that a dead resolver is not asked by every new session, short
     * enough that one lost packet neither refuses (fail: closed) nor passes (fail: open) a client
     * for min_ttl (DnsblCheckerIT).
     */
    private static Duration keptFor(DnsblConfig config, ZoneAnswer answer) {
        if (answer.failed()) {
            return config.failureTtl();
        }
        return Duration.ofSeconds(Math.max(config.minTtl().toSeconds(),
                Math.min(config.maxTtl().toSeconds(), answer.ttlSeconds())));
    }

    /** Lookups that failed or timed out, for the metrics. */
    public long failures() {
        return failures.get();
    }

    /** Answers in 127.255.255.0/24: a public list refusing our resolver. */
    public long errorAnswers() {
        return errorAnswers.get();
    }

    /** Every block and allow list zone asked in parallel; the score once all have answered. */
    public CompletableFuture<DnsblScore> check(InetAddress client) {
        List<CompletableFuture<ZoneAnswer>> blocks = new ArrayList<>();
        config.zones().forEach(zone -> blocks.add(answer(client, zone)));
        List<CompletableFuture<ZoneAnswer>> allows = new ArrayList<>();
        config.allowlists().forEach(zone -> allows.add(answer(client, zone)));
        List<CompletableFuture<ZoneAnswer>> all = new ArrayList<>(blocks);
        all.addAll(allows);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<DnsblScore.Listing> listings = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i++) {
                DnsblConfig.Zone zone = config.zones().get(i);
                ZoneAnswer answer = blocks.get(i).join();
                if (answer.listed()) {
                    meters.get(zone).listed();
                    listings.add(new DnsblScore.Listing(zone.zone(), zone.weight(), answer.text()));
                } else if (answer.failed() && zone.failClosed()) {
                    failed.add(zone.zone());
                }
            }
            boolean allowlisted = false;
            for (int i = 0; i < allows.size(); i++) {
                if (allows.get(i).join().listed()) {
                    meters.get(config.allowlists().get(i)).listed();
                    allowlisted = true;
                }
            }
            return new DnsblScore(listings, allowlisted, failed);
        });
    }

    private CompletableFuture<ZoneAnswer> answer(InetAddress client, DnsblConfig.Zone zone) {
        // Caffeine runs the lookup on this thread when the answer is neither cached nor on its way.
        boolean[] looked = new boolean[1];
        CompletableFuture<ZoneAnswer> answer = cache.get(new Key(client, zone), (key, executor) -> {
            looked[0] = true;
            return lookup(key);
        });
        if (!looked[0]) {
            meters.get(zone).cacheHit();
        }
        return answer;
    }

    private CompletableFuture<ZoneAnswer> lookup(Key key) {
        meters.get(key.zone()).lookup();
        String queryName = ZoneQueryName.of(key.client(), key.zone().zone());
        ReturnCodes codes = key.zone().codes().isEmpty() ? ReturnCodes.anyListing() : ReturnCodes.parse(key.zone().codes());
        return query(queryName, Type.A).thenCompose(reply -> {
            if (reply.getRcode() == Rcode.NXDOMAIN || reply.getRcode() == Rcode.NOERROR && reply.getSection(Section.ANSWER).isEmpty()) {
                return CompletableFuture.completedFuture(new ZoneAnswer(false, null, false, 0));
            }
            if (reply.getRcode() != Rcode.NOERROR) {
                return CompletableFuture.completedFuture(failed(key, "answer " + Rcode.string(reply.getRcode())));
            }
            boolean listed = false;
            long ttl = Long.MAX_VALUE;
            for (Record record : reply.getSection(Section.ANSWER)) {
                if (record instanceof ARecord a) {
                    ttl = Math.min(ttl, a.getTTL());
                    if (ReturnCodes.isErrorAnswer(a.getAddress())) {
                        errorAnswer(key, a.getAddress());
                    } else if (codes.isListing(a.getAddress())) {
                        listed = true;
                    }
                }
            }
            long answerTtl = ttl == Long.MAX_VALUE ? 0 : ttl;
            if (!listed) {
                return CompletableFuture.completedFuture(new ZoneAnswer(false, null, false, answerTtl));
            }
            return query(queryName, Type.TXT).handle((txt, error) -> new ZoneAnswer(true, error == null ? text(txt) : null,
                    false, answerTtl));
        }).exceptionally(error -> failed(key, error.getClass().getSimpleName() + ": " + error.getMessage()));
    }

    private CompletableFuture<Message> query(String name, int type) {
        try {
            Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, org.xbill.DNS.DClass.IN));
            // The timeout holds whatever the resolver's retries do: a session never waits longer.
            return resolver.sendAsync(query).toCompletableFuture()
                    .orTimeout(config.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TextParseException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ZoneAnswer failed(Key key, String why) {
        failures.incrementAndGet();
        meters.get(key.zone()).failure();
        LOG.info("DNS list {} lookup for {} failed ({}); {}", key.zone().zone(), key.client().getHostAddress(), why,
                key.zone().failClosed() ? "failing closed" : "counted as not listed");
        return new ZoneAnswer(false, null, true, 0);
    }

    private void errorAnswer(Key key, InetAddress answer) {
        errorAnswers.incrementAndGet();
        meters.get(key.zone()).errorAnswer();
        if (warnedErrorAnswer.compareAndSet(false, true)) {
            LOG.warn("DNS list {} answered {}: it refuses our resolver (public lists refuse open or busy"
                    + " resolvers); such answers are never counted as listings", key.zone().zone(), answer.getHostAddress());
        }
    }

    private static String text(Message reply) {
        StringBuilder out = new StringBuilder();
        for (Record record : reply.getSection(Section.ANSWER)) {
            if (record instanceof TXTRecord txt) {
                txt.getStrings().forEach(out::append);
                break;
            }
        }
        return out.length() == 0 ? null : out.toString();
    }
}
