package org.mxgate.backend;

import java.util.List;
import java.util.Set;
import org.mxgate.config.PoolConfig;

/**
 * Picks the next backend of a pool. Smooth weighted round robin, as nginx does it: each pick adds
 * every candidate's weight to its running score, takes the highest, and subtracts the total from
 * the winner, so a 2:1 pool goes a, b, a, a, b, a rather than a, a, b. Plain round robin is the
 * same with every weight 1. Backends a transaction already tried are not candidates, nor are
 * down ones or ones in a back-pressure cooldown; when every candidate is unavailable, the one that failed longest ago gets the
 * transaction anyway (the probe may be stale), as Haraka's host pool does. Thread-safe; no I/O.
 */
public final class Balancer {

    private final List<Backend> backends;
    private final boolean weighted;
    private final long[] scores;

    public Balancer(List<Backend> backends, PoolConfig.Balance balance) {
        this.backends = List.copyOf(backends);
        this.weighted = balance == PoolConfig.Balance.WEIGHTED_ROUND_ROBIN;
        this.scores = new long[backends.size()];
    }

    /** The next backend not in {@code excluded}, or null when every one is excluded. */
    public synchronized Backend choose(Set<Backend> excluded) {
        int best = -1;
        long total = 0;
        boolean anyUp = backends.stream().anyMatch(b -> !excluded.contains(b) && b.isAvailable());
        if (!anyUp) {
            if (excluded.stream().anyMatch(b -> !b.isAvailable())) {
                return null;
            }
            // Only health can be stale; a backend the admin drained or halted stays out.
            return backends.stream().filter(b -> !excluded.contains(b) && b.isEnabled())
                    .min(java.util.Comparator.comparingLong(Backend::lastFailureNanos)).orElse(null);
        }
        for (int i = 0; i < backends.size(); i++) {
            Backend b = backends.get(i);
            if (excluded.contains(b) || !b.isAvailable()) {
                continue;
            }
            int weight = weighted ? b.weight() : 1;
            scores[i] += weight;
            total += weight;
            if (best < 0 || scores[i] > scores[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        scores[best] -= total;
        return backends.get(best);
    }
}
