package org.mxgate.config;

import java.time.Duration;

/**
 * A listener's pregreet test (postscreen's): {@code greet_delay}, {@code greet_teaser} and
 * {@code pregreet_remember}. A client that sends anything before the banner is refused and,
 * for {@code remember}, refused at once on its next connections.
 *
 * @param delay how long the banner waits; zero turns the test off
 * @param teaser whether {@code 220-host ESMTP} goes out at once and the last {@code 220} line after the delay
 * @param remember how long a client refused by the test is refused at connect; zero forgets at once
 */
public record PregreetConfig(Duration delay, boolean teaser, Duration remember) {

    public static final PregreetConfig NONE = new PregreetConfig(Duration.ZERO, false, Duration.ofHours(1));

    public boolean isEnabled() {
        return !delay.isZero();
    }
}
