package org.mxgate.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The {@code dnsbl:} block of conf/mxgate.yml: block and allow list zones, the resolvers to ask,
 * and how long answers are kept.
 *
 * @param resolvers the DNS servers to ask; empty for the system's
 * @param minTtl answers, negative ones too, are kept at least this long
 * @param maxTtl and at most this long, whatever their TTL says
 * @param failureTtl a lookup that failed (timeout, SERVFAIL) is kept only this long, so one DNS
 *                   blip neither refuses (fail: closed) nor passes (fail: open) a client for minTtl
 */
public record DnsblConfig(List<InetSocketAddress> resolvers, Duration timeout, List<Zone> zones, List<Zone> allowlists,
                          Duration minTtl, Duration maxTtl, Duration failureTtl, int cacheSize) {

    public static final Duration DEFAULT_FAILURE_TTL = Duration.ofSeconds(5);

    public DnsblConfig(List<InetSocketAddress> resolvers, Duration timeout, List<Zone> zones, List<Zone> allowlists,
                       Duration minTtl, Duration maxTtl, int cacheSize) {
        this(resolvers, timeout, zones, allowlists, minTtl, maxTtl, DEFAULT_FAILURE_TTL, cacheSize);
    }

    public DnsblConfig {
        resolvers = List.copyOf(resolvers);
        zones = List.copyOf(zones);
        allowlists = List.copyOf(allowlists);
    }

    /**
     * One list zone.
     *
     * @param codes the answers that mean "listed" (addresses, ranges, CIDR); empty for any 127.0.0.0/8
     * @param failClosed a lookup that fails refuses the client for now (451 4.7.1) instead of passing it
     */
    public record Zone(String zone, double weight, List<String> codes, boolean failClosed) {

        public Zone {
            codes = List.copyOf(codes);
        }
    }
}
