package org.mxgate.shared;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The instances alive on Redis at this instance's last heartbeat, each with what it sees.
 *
 * @param self this instance's name among them
 * @param at when Redis answered that heartbeat, or null before the first answer
 * @param alive sorted by name, this instance included once Redis has answered
 */
public record Peers(String self, Instant at, List<InstanceView> alive) {

    public Peers {
        alive = List.copyOf(alive);
    }

    /** The instance_ids that more than one live instance uses: their queue and session ids can collide. */
    public Set<String> sharedIds() {
        Set<String> seen = new TreeSet<>();
        Set<String> twice = new TreeSet<>();
        for (InstanceView view : alive) {
            if (!seen.add(view.instanceId())) {
                twice.add(view.instanceId());
            }
        }
        return twice;
    }
}
