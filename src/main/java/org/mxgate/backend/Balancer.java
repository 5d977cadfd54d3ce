package org.mxgate.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.mxgate.config.PoolConfig;

/**
 * Picks the backend for the next transaction; each transaction is balanced anew.
 * <ul>
 * <li>{@code weighted_round_robin}: smooth, as nginx does it: each pick adds every candidate's
 * weight to its running score, takes the highest and subtracts the total from the winner, so a
 * 2:1 pool goes a, b, a, a, b, a rather than a, a, b. {@code round_robin} is the same with
 * every weight 1.</li>
 * <li>{@code least_connections}: the fewest open transactions per unit of weight; ties go
 * round robin.</li>
 * <li>{@code priority}: only the lowest {@code priority} group with an available server takes
 * transactions, weighted round robin within it; the next group only when that one is empty.</li>
 * </ul>
 * A backend back up after being down has its weight ramped over the pool's {@code slow_start}.
 * Never candidates: backends the transaction already tried, down ones, ones in a back-pressure
 * cooldown, drained or halted ones. When every enabled candidate is down or resting, the one
 * that failed longest ago gets the transaction anyway, once (the probe may be stale), as
 * Haraka's host pool does. Thread-safe; no I/O.
 */
public final class Balancer {

    private final List<Backend> backends;
    private final PoolConfig.Balance balance;
    private final long[] scores;

    public Balancer(List<Backend> backends, PoolConfig.Balance balance) {
        this.backends = List.copyOf(backends);
        this.balance = balance;
        this.scores = new long[backends.size()];
    }

    /** The next backend not in {@code excluded}, or null when none may take the transaction. */
    public synchronized Backend choose(Set<Backend> excluded) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < backends.size(); i++) {
            Backend b = backends.get(i);
            if (!excluded.contains(b) && b.isAvailable()) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            if (excluded.stream().anyMatch(b -> !b.isAvailable())) {
                return null;
            }
            // Only health can be stale; a backend the admin drained or halted stays out.
            return backends.stream().filter(b -> !excluded.contains(b) && b.isEnabled())
                    .min(Comparator.comparingLong(Backend::lastFailureNanos)).orElse(null);
        }
        if (balance == PoolConfig.Balance.PRIORITY) {
            int best = candidates.stream().mapToInt(i -> backends.get(i).priority()).min().getAsInt();
            candidates.removeIf(i -> backends.get(i).priority() != best);
        } else if (balance == PoolConfig.Balance.LEAST_CONNECTIONS) {
            // One snapshot of the counts: other I/O threads change them while we choose.
            double[] load = new double[backends.size()];
            candidates.forEach(i -> load[i] = load(i));
            double fewest = candidates.stream().mapToDouble(i -> load[i]).min().getAsDouble();
            candidates.removeIf(i -> load[i] > fewest);
        }
        return smoothWeighted(candidates);
    }

    private double load(int index) {
        Backend b = backends.get(index);
        return (double) b.transactions() / b.weight();
    }

    private Backend smoothWeighted(List<Integer> candidates) {
        boolean weighted = balance != PoolConfig.Balance.ROUND_ROBIN && balance != PoolConfig.Balance.LEAST_CONNECTIONS;
        int best = -1;
        long total = 0;
        long now = System.nanoTime();
        for (int i : candidates) {
            long weight = backends.get(i).effectiveWeight(weighted ? backends.get(i).weight() : 1, now);
            scores[i] += weight;
            total += weight;
            if (best < 0 || scores[i] > scores[best]) {
                best = i;
            }
        }
        scores[best] -= total;
        return backends.get(best);
    }
}
