package org.mxgate.config;

import java.time.Duration;

/**
 * The {@code shared_state:} block: the Redis that several instances share their limit counters,
 * AUTH failure counters and backend flags on. Absent, each instance counts for itself alone.
 *
 * @param redis the server, in Lettuce's URI forms: {@code redis://}, {@code rediss://} (TLS),
 *              {@code redis-sentinel://} (Sentinel), with any password in it
 * @param keyPrefix put before every key and channel name, so several gateway groups can share one Redis
 * @param timeout the longest a client session waits for an answer from Redis; past it the local count answers
 * @param leaseTime how long an instance's concurrency slots outlive its last sign of life
 * @param authWhenAway what AUTH does while Redis is away: counts failures on this instance alone, or refuses
 */
public record SharedStateConfig(String redis, String keyPrefix, Duration timeout, Duration leaseTime,
                                AuthWhenAway authWhenAway) {

    /** {@code open}: AUTH goes on with this instance's own failure counts; {@code closed}: 454 4.7.0 to every AUTH. */
    public enum AuthWhenAway { OPEN, CLOSED }

    /** The URI without user or password, for the log and the status page. */
    public String redisForLog() {
        return redis.replaceFirst("//[^@/]*@", "//");
    }
}
