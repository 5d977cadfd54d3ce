package org.mxgate.admin;

import java.util.Map;

/**
 * What the status page shows of the last hour's traffic, read from whoever counts it. Calls
 * come from the admin listener's event loop, so they must answer from memory, never block.
 */
public interface TrafficView {

    /** Nothing counted: every figure zero. For a gateway started without the counts. */
    TrafficView NONE = new TrafficView() {
        @Override
        public long[] backendPerMinute(String pool, String backend) {
            return new long[60];
        }

        @Override
        public long listenerAcceptedLastHour(String listener) {
            return 0;
        }

        @Override
        public Map<String, Long> listenerRefusedLastHour(String listener) {
            return Map.of();
        }
    };

    /** Messages this backend took in each of the last 60 minutes, oldest first (60 counts). */
    long[] backendPerMinute(String pool, String backend);

    /** Messages the listener accepted in the last hour. */
    long listenerAcceptedLastHour(String listener);

    /** Messages the listener refused in the last hour, by reason (relay denied, DNSBL, limits …). */
    Map<String, Long> listenerRefusedLastHour(String listener);
}
