package org.mxgate.config;

import java.time.Duration;

/**
 * The top-level {@code auth:} block: brute-force limits shared by every listener, and the
 * threads that check password hashes.
 *
 * @param maxFailuresPerClient failed logins from one client address before it is refused (454 4.7.0)
 * @param maxFailuresPerUser failed logins for one user name, from anywhere, before it is refused
 * @param failureWindow how long a failure is remembered, counted from the latest one
 * @param failureDelay how long a failed login waits before its 535 is sent
 * @param hashThreads threads checking bcrypt hashes; logins beyond them queue, and a full queue gets 454 4.7.0
 */
public record AuthLimitsConfig(int maxFailuresPerClient, int maxFailuresPerUser, Duration failureWindow,
                               Duration failureDelay, int hashThreads) {

    public static final AuthLimitsConfig DEFAULTS = new AuthLimitsConfig(5, 20, Duration.ofMinutes(15),
            Duration.ofSeconds(1), 2);
}
