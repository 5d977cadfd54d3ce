package org.mxgate.config;

import java.time.Duration;

/**
 * The {@code limits:} block of a policy.
 *
 * @param idleTimeout how long the client may take for its next complete command
 * @param dataBlockTimeout how long the client may pause while it sends a message's content
 * @param minDataRate bytes per second a message's content must average, once a data block timeout has passed
 * @param maxSessionTime how long one connection may last, whatever it does
 */
public record LimitsConfig(long maxMessageSize, int maxRecipients, int maxErrors, Duration idleTimeout,
                           Duration dataBlockTimeout, long minDataRate, Duration maxSessionTime) {

    public static final LimitsConfig DEFAULTS = new LimitsConfig(25L * 1024 * 1024, 100, 10, Duration.ofMinutes(5),
            Duration.ofMinutes(3), 500, Duration.ofMinutes(30));

    /** With the default data and session timeouts. */
    public LimitsConfig(long maxMessageSize, int maxRecipients, int maxErrors, Duration idleTimeout) {
        this(maxMessageSize, maxRecipients, maxErrors, idleTimeout, DEFAULTS.dataBlockTimeout(), DEFAULTS.minDataRate(),
                DEFAULTS.maxSessionTime());
    }
}
