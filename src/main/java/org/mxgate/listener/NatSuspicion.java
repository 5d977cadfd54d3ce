package org.mxgate.listener;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Notices a listener that sees the world through one private address: when most sessions
 * come from a single RFC 1918, CGNAT, unique-local or loopback address, a NAT or load balancer
 * probably hides the real clients, and that address must never be given relay rights. Says so
 * at most once per {@link #QUIET}. Counts only private addresses, so memory stays small on a
 * busy MX. Thread-safe; no I/O.
 */
final class NatSuspicion {

    static final int SAMPLE = 100;
    static final Duration QUIET = Duration.ofHours(1);

    private final String listener;
    private final Clock clock;
    private final Map<InetAddress, Integer> privateCounts = new HashMap<>();
    private int sessions;
    private long quietUntil;

    NatSuspicion(String listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    /** Counts one session; returns the warning to log when this sample points at a hiding NAT. */
    synchronized Optional<String> sessionFrom(InetAddress client) {
        sessions++;
        if (isPrivate(client)) {
            privateCounts.merge(client, 1, Integer::sum);
        }
        if (sessions < SAMPLE) {
            return Optional.empty();
        }
        Optional<Map.Entry<InetAddress, Integer>> top = privateCounts.entrySet().stream().max(Map.Entry.comparingByValue());
        int total = sessions;
        sessions = 0;
        privateCounts.clear();
        long now = clock.millis();
        if (top.isEmpty() || top.get().getValue() * 2 <= total || now < quietUntil) {
            return Optional.empty();
        }
        quietUntil = now + QUIET.toMillis();
        return Optional.of(String.format("listener %s: %d of the last %d sessions came from %s, a private address;"
                + " a NAT or load balancer may hide the real clients. Use the PROXY protocol from it, and never"
                + " give that address relay rights", listener, top.get().getValue(), total, top.get().getKey().getHostAddress()));
    }

    static boolean isPrivate(InetAddress address) {
        byte[] b = address.getAddress();
        boolean cgnat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
        return address.isSiteLocalAddress() || address.isLoopbackAddress() || cgnat || uniqueLocal;
    }
}
