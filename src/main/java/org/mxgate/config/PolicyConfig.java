package org.mxgate.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mxgate.net.NetworkSet;

/**
 * One policy file, {@code policies/<name>.yml}.
 *
 * @param acceptDomains domains (and {@code *.sub} patterns) we take mail for from anyone
 * @param relayNetworks clients that may send to any domain
 * @param routes recipient domain pattern (exact, {@code *.sub}, or {@code *} for the rest) to
 *               backend pool, in file order; always has {@code *}
 * @param allowWideRelayNetworks the admin's explicit override for relay networks wider than
 *                               /8 or /16 (logged loudly at every start), which also skips the
 *                               relay self-test
 * @param access the client, helo, sender and recipient rules
 * @param dnsbl whether this listener refuses clients on the DNS lists, and from which score
 * @param auth SMTP AUTH on this listener, and what a login allows
 * @param requireTls MAIL is refused (530 5.7.0) until the session is encrypted
 * @param clientLimits the connection, rate and junk command keys of the {@code limits:} block
 */
public record PolicyConfig(String name, Path file, List<String> acceptDomains, NetworkSet relayNetworks,
                           Map<String, String> routes, LimitsConfig limits, boolean allowWideRelayNetworks,
                           AccessConfig access, Dnsbl dnsbl, Auth auth, boolean requireTls,
                           ClientLimitsConfig clientLimits) {

    /** With the default connection, rate and junk command limits. */
    public PolicyConfig(String name, Path file, List<String> acceptDomains, NetworkSet relayNetworks,
                        Map<String, String> routes, LimitsConfig limits, boolean allowWideRelayNetworks,
                        AccessConfig access, Dnsbl dnsbl, Auth auth, boolean requireTls) {
        this(name, file, acceptDomains, relayNetworks, routes, limits, allowWideRelayNetworks, access, dnsbl, auth,
                requireTls, ClientLimitsConfig.DEFAULTS);
    }

    /**
     * The {@code auth:} block and {@code relay.authenticated}.
     *
     * @param enabled AUTH is offered, after TLS only
     * @param plaintextOnLoopback AUTH is offered without TLS too, but only to clients on a loopback address
     * @param senderLogin a logged-in user may only use the MAIL FROM addresses users.yml gives it (553 5.7.1)
     * @param relayAuthenticated a logged-in user may send to any domain
     * @param users the users file in force
     */
    public record Auth(boolean enabled, boolean plaintextOnLoopback, boolean senderLogin, boolean relayAuthenticated,
                       UsersConfig users) {
        public static final Auth OFF = new Auth(false, false, false, false, UsersConfig.NONE);
    }

    public PolicyConfig(String name, Path file, List<String> acceptDomains, NetworkSet relayNetworks,
                        Map<String, String> routes, LimitsConfig limits, boolean allowWideRelayNetworks,
                        AccessConfig access, Dnsbl dnsbl) {
        this(name, file, acceptDomains, relayNetworks, routes, limits, allowWideRelayNetworks, access, dnsbl, Auth.OFF,
                false);
    }

    /**
     * The {@code dnsbl:} block of a policy: on or off, the score at which a client is refused,
     * and whether that happens at RCPT (the default: the log shows sender and recipient, and
     * postmaster stays reachable) or instead of the greeting.
     */
    public record Dnsbl(boolean enabled, double threshold, boolean enforceAtConnect) {
        public static final Dnsbl OFF = new Dnsbl(false, 1.0, false);
    }

    public PolicyConfig(String name, Path file, List<String> acceptDomains, NetworkSet relayNetworks,
                        Map<String, String> routes, LimitsConfig limits, boolean allowWideRelayNetworks,
                        AccessConfig access) {
        this(name, file, acceptDomains, relayNetworks, routes, limits, allowWideRelayNetworks, access, Dnsbl.OFF);
    }

    public static final String DEFAULT_ROUTE = "*";

    public PolicyConfig {
        acceptDomains = List.copyOf(acceptDomains);
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    }
}
