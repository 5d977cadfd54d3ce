package org.mxgate.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mxgate.net.Cidr;
import org.mxgate.net.HostPort;

/**
 * The {@code dnsbl:} block of conf/mxgate.yml into a {@link DnsblConfig}: zones, allow lists,
 * resolvers (IP literals; default the system's) and the answer cache. Every mistake is recorded
 * on its node as {@code file:line: reason}.
 */
final class DnsblReader {

    private static final Block DNSBL = new Block("resolvers", "zones", "allowlists", "cache");
    private static final Key<Duration> TIMEOUT = DNSBL.duration("timeout", Duration.ofSeconds(2));

    private static final Block CACHE = new Block();
    private static final Key<Duration> MIN_TTL = CACHE.duration("min_ttl", Duration.ofSeconds(60));
    private static final Key<Duration> MAX_TTL = CACHE.duration("max_ttl", Duration.ofHours(1));
    private static final Key<Duration> FAILURE_TTL = CACHE.duration("failure_ttl", DnsblConfig.DEFAULT_FAILURE_TTL);
    private static final Key<Integer> SIZE = CACHE.integer("size", 100_000, 1, 10_000_000);

    private static final Block ZONE_ENTRY = new Block("codes");
    private static final Key<String> ZONE = ZONE_ENTRY.requiredText("zone");
    /** Of block lists only; an allow list's is 0. */
    private static final Key<Double> WEIGHT = ZONE_ENTRY.key("weight", 1.0, Double::parseDouble);
    private static final Key<Failure> FAIL = ZONE_ENTRY.choice("fail", Failure.OPEN);

    /** What a lookup that fails means for the client: pass (open) or 451 for now (closed). */
    private enum Failure { OPEN, CLOSED }

    private DnsblReader() {
    }

    static DnsblConfig read(ConfigNode node) {
        node.allowOnly(DNSBL);
        List<InetSocketAddress> resolvers = new ArrayList<>();
        for (ConfigNode r : node.list("resolvers")) {
            InetSocketAddress address = r.parse(DnsblReader::resolver, null);
            if (address != null) {
                resolvers.add(address);
            }
        }
        ConfigNode cache = node.child("cache");
        cache.allowOnly(CACHE);
        return new DnsblConfig(resolvers, node.value(TIMEOUT), zones(node.list("zones"), true),
                zones(node.list("allowlists"), false), cache.value(MIN_TTL), cache.value(MAX_TTL),
                cache.value(FAILURE_TTL), cache.value(SIZE));
    }

    /** An IP literal, with port 53 unless one is given. */
    private static InetSocketAddress resolver(String text) {
        HostPort hp = HostPort.parse(text.contains(":") && !text.startsWith("[") && text.indexOf(':') == text.lastIndexOf(':')
                ? text : text + ":53");
        Cidr.parse(hp.host());
        return hp.resolved();
    }

    private static List<DnsblConfig.Zone> zones(List<ConfigNode> nodes, boolean blockList) {
        List<DnsblConfig.Zone> zones = new ArrayList<>();
        for (ConfigNode z : nodes) {
            z.allowOnly(ZONE_ENTRY);
            String zone = z.value(ZONE);
            List<String> codes = new ArrayList<>();
            for (ConfigNode c : z.list("codes")) {
                String code = c.parse(DnsblReader::code, null);
                if (code != null) {
                    codes.add(code);
                }
            }
            double weight = z.value(WEIGHT);
            boolean failClosed = z.value(FAIL) == Failure.CLOSED;
            if (zone != null) {
                zones.add(new DnsblConfig.Zone(zone, blockList ? weight : 0, codes, failClosed));
            }
        }
        return zones;
    }

    /** An answer that means "listed": an address, a range a-b, or a CIDR block of IPv4 answers. */
    private static String code(String text) {
        for (String part : text.split("-", 2)) {
            if (Cidr.parse(part).network().length != 4) {
                throw new IllegalArgumentException("list answers are IPv4: '" + text + "'");
            }
        }
        return text;
    }

    /**
     * Why a policy may not turn DNS lists on, or null when it may: with no block list zone the
     * lists would never be asked, silently; and a running gateway asks only the zones it started
     * with (the checker is built at start).
     *
     * @param running the configuration the gateway runs with, or null for a first load
     */
    static String noZones(Path file, DnsblConfig dnsbl, GatewayConfig running) {
        if (dnsbl == null || dnsbl.zones().isEmpty()) {
            return "dnsbl.enabled is true, but " + file + " has no dnsbl zones: the lists would never be asked; add zones"
                    + " under 'dnsbl:' there, or set enabled: false";
        }
        if (running != null && (running.dnsbl() == null || running.dnsbl().zones().isEmpty())) {
            return "dnsbl.enabled is true, but the running gateway started without dnsbl zones, so the lists would never"
                    + " be asked; adding zones to " + file + " needs a restart";
        }
        return null;
    }
}
