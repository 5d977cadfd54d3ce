package org.mxgate.config;

import java.time.Duration;
import org.mxgate.net.NetworkSet;

/**
 * The keys of a policy's {@code limits:} block that keep one client from taking more than its
 * share: connections and rates counted across sessions per client address (and per login), the
 * listener's connection cap, and the junk commands one session may send. {@link LimitsConfig}
 * holds the rest of the block, what one session checks by itself. A limit of 0 is no limit.
 *
 * @param maxConnectionsPerIp concurrent sessions from one counted address; past it 421 4.7.0 at the greeting
 * @param maxConnections concurrent sessions on each listener using this policy; past it 421 4.3.2
 * @param maxConnectionRatePerIp new sessions from one counted address per {@code rateWindow}
 * @param maxMessageRatePerIp MAIL commands from one counted address per {@code rateWindow} (450 4.7.1 past it)
 * @param maxRecipientRatePerIp RCPT commands from one counted address per {@code rateWindow} (452 4.7.1 past it)
 * @param maxMessageRatePerUser MAIL commands per login per {@code rateWindow}, on any listener
 * @param maxRecipientRatePerUser RCPT commands per login per {@code rateWindow}, on any listener
 * @param rateWindow the sliding window the rates are counted over
 * @param ipv4Prefix IPv4 clients are counted per network of this length (32: each address alone)
 * @param ipv6Prefix IPv6 clients are counted per network of this length (64: a host cannot rotate through its /64)
 * @param exempt clients whose addresses are not counted (the per-login, listener and process counts still apply)
 * @param maxJunkCommands NOOP, RSET, VRFY, HELP and repeated HELO/EHLO in one session without a delivered
 *                        message; past it 421 4.7.0 and close
 */
public record ClientLimitsConfig(int maxConnectionsPerIp, int maxConnections, int maxConnectionRatePerIp,
                                 int maxMessageRatePerIp, int maxRecipientRatePerIp, int maxMessageRatePerUser,
                                 int maxRecipientRatePerUser, Duration rateWindow, int ipv4Prefix, int ipv6Prefix,
                                 NetworkSet exempt, int maxJunkCommands) {

    /** Chosen so an MX needs no tuning: docs/configuration.md gives the reason for each. */
    public static final ClientLimitsConfig DEFAULTS = new ClientLimitsConfig(20, 5000, 0, 0, 0, 0, 0,
            Duration.ofMinutes(1), 32, 64, NetworkSet.EMPTY, 100);
}
