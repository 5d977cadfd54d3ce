package org.mxgate.config;

import java.time.Duration;

/** The {@code limits:} block of a policy. */
public record LimitsConfig(long maxMessageSize, int maxRecipients, int maxErrors, Duration idleTimeout) {

    public static final LimitsConfig DEFAULTS = new LimitsConfig(25L * 1024 * 1024, 100, 10, Duration.ofMinutes(5));
}
