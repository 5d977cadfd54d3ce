package org.mxgate.config;

import io.lettuce.core.RedisURI;
import java.time.Duration;

/**
 * Checks of the {@code shared_state:} block's values, as its keys parse them: a Redis URI the
 * client can use, and durations within their bounds.
 */
final class SharedStates {

    private SharedStates() {
    }

    /** The URI as written, once Lettuce has read it; its own refusal otherwise, without the URI (it may hold a password). */
    static String redisUri(String text) {
        try {
            RedisURI uri = RedisURI.create(text);
            if (uri.getHost() == null && uri.getSentinels().isEmpty() && uri.getSocket() == null) {
                throw new IllegalArgumentException("no host");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // Lettuce refuses a scheme it does not know with UnsupportedOperationException.
            throw new IllegalArgumentException("shared_state.redis must be a Redis URI such as redis://127.0.0.1:6379,"
                    + " rediss://redis.example.test:6380 or redis-sentinel://sentinel1:26379,sentinel2:26379#mymaster ("
                    + e.getMessage() + ")");
        }
        return text;
    }

    static Duration within(String name, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("shared_state." + name + " must be between " + text(min) + " and " + text(max));
        }
        return value;
    }

    private static String text(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + "ms" : d.toSeconds() < 60 ? d.toSeconds() + "s"
                : d.toMinutes() < 60 ? d.toMinutes() + "m" : d.toHours() + "h";
    }
}
