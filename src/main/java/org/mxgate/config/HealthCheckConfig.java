package org.mxgate.config;

import java.time.Duration;

/**
 * A pool's {@code health_check:} block: how deep and how often each backend is probed, and how
 * many results in a row turn it down ({@code fall}) or up again ({@code rise}).
 *
 * @param sender the MAIL FROM address of the {@code mail_from} probe: an external-looking one is
 *               what a backend under back pressure refuses first
 */
public record HealthCheckConfig(Duration interval, Duration timeout, Probe probe, String sender, int rise, int fall) {

    /** connect: TCP and greeting; ehlo: and EHLO; mail_from: and MAIL FROM, RSET, QUIT. */
    public enum Probe { CONNECT, EHLO, MAIL_FROM }
}
