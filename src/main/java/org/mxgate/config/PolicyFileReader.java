package org.mxgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.mxgate.net.Cidr;
import org.mxgate.net.NetworkSet;

/**
 * One policy file, {@code policies/<name>.yml}, into a {@link PolicyConfig}: accepted domains,
 * relay networks (with the wide-network guardrail), routes, access rules and limits. Every
 * mistake is recorded on its node as {@code file:line: reason}; nothing is thrown here.
 */
final class PolicyFileReader {

    /** A domain, or {@code *.domain} for its subdomains. */
    private static final String DOMAIN_PATTERN = "(\\*\\.)?[^*@\\s\\[\\]]+";

    private static final Block POLICY = new Block("accept_domains", "relay", "route", "routes", "limits", "access", "dnsbl",
            "auth");
    private static final Key<Boolean> ALLOW_WIDE_RELAY_NETWORKS = POLICY.bool("allow_wide_relay_networks", false);
    private static final Key<Boolean> REQUIRE_TLS = POLICY.bool("require_tls", false);

    private static final Block RELAY = new Block("networks");
    private static final Key<Boolean> RELAY_AUTHENTICATED = RELAY.bool("authenticated", false);

    private static final Block AUTH = new Block();
    private static final Key<Boolean> AUTH_ENABLED = AUTH.bool("enabled", false);
    private static final Key<Boolean> ALLOW_PLAINTEXT_LOOPBACK = AUTH.bool("allow_plaintext_loopback", false);
    private static final Key<Boolean> SENDER_LOGIN = AUTH.bool("sender_login", false);

    private static final Block DNSBL = new Block();
    private static final Key<Boolean> DNSBL_ENABLED = DNSBL.bool("enabled", false);
    private static final Key<Double> THRESHOLD = DNSBL.key("threshold", 1.0, PolicyFileReader::threshold);
    private static final Key<Enforce> ENFORCE = DNSBL.choice("enforce", Enforce.RCPT);

    private static final Block LIMITS = new Block("exempt");
    private static final LimitsConfig LIMITS_DEFAULTS = LimitsConfig.DEFAULTS;
    private static final Key<Long> MAX_MESSAGE_SIZE = LIMITS.size("max_message_size", LIMITS_DEFAULTS.maxMessageSize());
    private static final Key<Integer> MAX_RECIPIENTS = LIMITS.integer("max_recipients", LIMITS_DEFAULTS.maxRecipients(), 1,
            100_000);
    private static final Key<Integer> MAX_ERRORS = LIMITS.integer("max_errors", LIMITS_DEFAULTS.maxErrors(), 1, 1000);
    private static final Key<Duration> IDLE_TIMEOUT = LIMITS.duration("idle_timeout", LIMITS_DEFAULTS.idleTimeout());
    private static final Key<Duration> DATA_BLOCK_TIMEOUT =
            LIMITS.duration("data_block_timeout", LIMITS_DEFAULTS.dataBlockTimeout());
    private static final Key<Integer> MIN_DATA_RATE =
            LIMITS.integer("min_data_rate", (int) LIMITS_DEFAULTS.minDataRate(), 0, 100_000_000);
    private static final Key<Duration> MAX_SESSION_TIME =
            LIMITS.duration("max_session_time", LIMITS_DEFAULTS.maxSessionTime());

    private static final Block ACCESS = new Block("clients", "helo", "senders", "recipients");

    // The limits: keys counted across sessions and the junk command limit (ClientLimitsConfig); 0 is no limit.
    private static final ClientLimitsConfig CLIENT_DEFAULTS = ClientLimitsConfig.DEFAULTS;
    private static final Key<Integer> MAX_CONNECTIONS_PER_IP = LIMITS.integer("max_connections_per_ip",
            CLIENT_DEFAULTS.maxConnectionsPerIp(), 0, 1_000_000);
    private static final Key<Integer> MAX_CONNECTIONS = LIMITS.integer("max_connections", CLIENT_DEFAULTS.maxConnections(),
            0, 1_000_000);
    private static final Key<Integer> MAX_CONNECTION_RATE_PER_IP = LIMITS.integer("max_connection_rate_per_ip",
            CLIENT_DEFAULTS.maxConnectionRatePerIp(), 0, 1_000_000);
    private static final Key<Integer> MAX_MESSAGE_RATE_PER_IP = LIMITS.integer("max_message_rate_per_ip",
            CLIENT_DEFAULTS.maxMessageRatePerIp(), 0, 1_000_000);
    private static final Key<Integer> MAX_RECIPIENT_RATE_PER_IP = LIMITS.integer("max_recipient_rate_per_ip",
            CLIENT_DEFAULTS.maxRecipientRatePerIp(), 0, 1_000_000);
    private static final Key<Integer> MAX_MESSAGE_RATE_PER_USER = LIMITS.integer("max_message_rate_per_user",
            CLIENT_DEFAULTS.maxMessageRatePerUser(), 0, 1_000_000);
    private static final Key<Integer> MAX_RECIPIENT_RATE_PER_USER = LIMITS.integer("max_recipient_rate_per_user",
            CLIENT_DEFAULTS.maxRecipientRatePerUser(), 0, 1_000_000);
    private static final Key<Duration> RATE_WINDOW = LIMITS.key("rate_window", CLIENT_DEFAULTS.rateWindow(),
            PolicyFileReader::rateWindow);
    private static final Key<Integer> IPV4_PREFIX = LIMITS.integer("ipv4_prefix", CLIENT_DEFAULTS.ipv4Prefix(), 8, 32);
    private static final Key<Integer> IPV6_PREFIX = LIMITS.integer("ipv6_prefix", CLIENT_DEFAULTS.ipv6Prefix(), 16, 128);
    private static final Key<Integer> MAX_JUNK_COMMANDS = LIMITS.integer("max_junk_commands",
            CLIENT_DEFAULTS.maxJunkCommands(), 0, 1_000_000);

    /** Where a listed client is refused: at RCPT (the default), or instead of the greeting. */
    private enum Enforce { RCPT, CONNECT }

    private PolicyFileReader() {
    }

    /** @param noDnsblZones why this policy may not turn DNS lists on (no zones to ask), or null when it may */
    static PolicyConfig read(String name, Path file, ConfigNode root, Map<String, PoolConfig> pools, UsersConfig users,
                             String noDnsblZones) {
        root.allowOnly(POLICY);
        List<String> domains = acceptDomains(root.list("accept_domains"));
        ConfigNode relay = root.child("relay");
        relay.allowOnly(RELAY);
        boolean allowWide = root.value(ALLOW_WIDE_RELAY_NETWORKS);
        NetworkSet networks = relayNetworks(relay.list("networks"), allowWide);
        PolicyConfig.Auth auth = auth(root.child("auth"), relay, users);
        Map<String, String> routes = routes(root, pools);
        AccessConfig access = access(root.child("access"));
        LimitsConfig limits = limits(root.child("limits"));
        ClientLimitsConfig clientLimits = clientLimits(root.child("limits"));
        PolicyConfig.Dnsbl dnsbl = dnsbl(root.child("dnsbl"), noDnsblZones);
        return new PolicyConfig(name, file, domains, networks, routes, limits, allowWide, access, dnsbl, auth,
                root.value(REQUIRE_TLS), clientLimits);
    }

    private static List<String> acceptDomains(List<ConfigNode> nodes) {
        List<String> domains = new ArrayList<>();
        for (ConfigNode d : nodes) {
            String domain = d.scalar();
            if (domain != null && !domain.matches(DOMAIN_PATTERN)) {
                d.error("not a domain or *.domain pattern: '" + domain + "'");
            } else if (domain != null) {
                domains.add(domain);
            }
        }
        return domains;
    }

    private static NetworkSet relayNetworks(List<ConfigNode> nodes, boolean allowWide) {
        List<String> nets = new ArrayList<>();
        for (ConfigNode n : nodes) {
            Cidr cidr = n.parse(Cidr::parse, null);
            if (cidr == null) {
                continue;
            }
            // Never an open relay: a relay network this wide is the classic NAT/Docker accident.
            if (cidr.isWide() && !allowWide) {
                n.error("relay network " + n.scalar() + " is wider than /" + Cidr.WIDE_IPV4 + " (IPv4) or /"
                        + Cidr.WIDE_IPV6 + " (IPv6): it would relay for much of the internet; set"
                        + " allow_wide_relay_networks: true if that is really meant");
            }
            nets.add(n.scalar());
        }
        return nets.isEmpty() ? NetworkSet.EMPTY : NetworkSet.parse(nets);
    }

    /** The {@code auth:} block and {@code relay.authenticated}. */
    private static PolicyConfig.Auth auth(ConfigNode node, ConfigNode relay, UsersConfig users) {
        node.allowOnly(AUTH);
        PolicyConfig.Auth auth = new PolicyConfig.Auth(node.value(AUTH_ENABLED), node.value(ALLOW_PLAINTEXT_LOOPBACK),
                node.value(SENDER_LOGIN), relay.value(RELAY_AUTHENTICATED), users);
        // Never an open relay: relay for logged-in users is meaningless, and suspicious, where nobody can log in.
        if (auth.relayAuthenticated() && !auth.enabled()) {
            relay.child("authenticated").error("relay.authenticated needs auth: { enabled: true } in the same policy");
        }
        if (auth.senderLogin() && !auth.enabled()) {
            node.child("sender_login").error("sender_login needs auth: { enabled: true }");
        }
        return auth;
    }

    private static LimitsConfig limits(ConfigNode node) {
        node.allowOnly(LIMITS);
        return new LimitsConfig(node.value(MAX_MESSAGE_SIZE), node.value(MAX_RECIPIENTS), node.value(MAX_ERRORS),
                node.value(IDLE_TIMEOUT), node.value(DATA_BLOCK_TIMEOUT), node.value(MIN_DATA_RATE),
                node.value(MAX_SESSION_TIME));
    }

    private static PolicyConfig.Dnsbl dnsbl(ConfigNode node, String noDnsblZones) {
        node.allowOnly(DNSBL);
        double threshold = node.value(THRESHOLD);
        boolean atConnect = node.value(ENFORCE) == Enforce.CONNECT;
        boolean enabled = node.value(DNSBL_ENABLED);
        if (enabled && noDnsblZones != null) {
            node.child("enabled").error(noDnsblZones);
        }
        return new PolicyConfig.Dnsbl(enabled, threshold, atConnect);
    }

    /** The limits: keys of {@link ClientLimitsConfig}; the block's unknown keys are refused by {@link #limits}. */
    private static ClientLimitsConfig clientLimits(ConfigNode node) {
        List<String> exempt = new ArrayList<>();
        for (ConfigNode n : node.list("exempt")) {
            if (n.parse(Cidr::parse, null) != null) {
                exempt.add(n.scalar());
            }
        }
        return new ClientLimitsConfig(node.value(MAX_CONNECTIONS_PER_IP), node.value(MAX_CONNECTIONS),
                node.value(MAX_CONNECTION_RATE_PER_IP), node.value(MAX_MESSAGE_RATE_PER_IP),
                node.value(MAX_RECIPIENT_RATE_PER_IP), node.value(MAX_MESSAGE_RATE_PER_USER),
                node.value(MAX_RECIPIENT_RATE_PER_USER), node.value(RATE_WINDOW), node.value(IPV4_PREFIX),
                node.value(IPV6_PREFIX), exempt.isEmpty() ? NetworkSet.EMPTY : NetworkSet.parse(exempt),
                node.value(MAX_JUNK_COMMANDS));
    }

    // A rate over less than a second is a burst, not a rate; over more than a day, a quota (another issue).
    private static Duration rateWindow(String text) {
        Duration window = Key.parseDuration(text);
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("rate_window must be between 1s and 1d, got " + text);
        }
        return window;
    }

    private static double threshold(String text) {
        double t = Double.parseDouble(text);
        if (!(t > 0)) {
            throw new IllegalArgumentException("threshold must be above 0, got " + text);
        }
        return t;
    }

    /** {@code routes:} (domain pattern to pool, in file order) and its shorthand {@code route: pool} for "*". */
    private static Map<String, String> routes(ConfigNode root, Map<String, PoolConfig> pools) {
        Map<String, String> routes = new LinkedHashMap<>();
        root.child("routes").entries().forEach((pattern, node) -> {
            String key = pattern.toLowerCase(Locale.ROOT);
            if (!key.equals(PolicyConfig.DEFAULT_ROUTE) && !key.matches(DOMAIN_PATTERN)) {
                node.error("not a domain, *.domain or *: '" + pattern + "'");
            }
            String pool = node.scalar();
            if (pool != null && !pools.containsKey(pool)) {
                node.error("route names pool '" + pool + "', which mxgate.yml does not define");
            }
            routes.put(key, pool);
        });
        root.get("route").ifPresent(node -> {
            String pool = node.scalar();
            if (routes.containsKey(PolicyConfig.DEFAULT_ROUTE)) {
                node.error("give the default pool either as 'route' or as '*' under 'routes', not both");
            } else if (pool != null && !pools.containsKey(pool)) {
                node.error("route names pool '" + pool + "', which mxgate.yml does not define");
            }
            routes.put(PolicyConfig.DEFAULT_ROUTE, pool);
        });
        if (!routes.containsKey(PolicyConfig.DEFAULT_ROUTE)) {
            if (pools.size() == 1) {
                routes.put(PolicyConfig.DEFAULT_ROUTE, pools.keySet().iterator().next());
            } else {
                root.error("policy needs 'route: <pool>' (or '*' under 'routes') when there is more than one pool");
            }
        }
        return routes;
    }

    /** The {@code access:} tables; each entry is {@code key: ok | reject | tempfail [reply text]}. */
    private static AccessConfig access(ConfigNode node) {
        node.allowOnly(ACCESS);
        return new AccessConfig(
                rules(node.child("clients"), key -> {
                    Cidr.parse(key);
                    return key;
                }),
                rules(node.child("helo"), key -> domainPattern(key, "a host name or *.domain")),
                rules(node.child("senders"), PolicyFileReader::addressPattern),
                rules(node.child("recipients"), PolicyFileReader::addressPattern));
    }

    private static List<AccessConfig.Rule> rules(ConfigNode table, Function<String, String> key) {
        List<AccessConfig.Rule> rules = new ArrayList<>();
        table.entries().forEach((pattern, value) -> {
            String checked;
            try {
                checked = key.apply(pattern.strip());
            } catch (IllegalArgumentException e) {
                value.error(e.getMessage());
                return;
            }
            AccessConfig.Rule rule = value.parse(text -> {
                String[] words = text.strip().split("\\s+", 2);
                AccessConfig.Action action = Key.oneOf("access action", AccessConfig.Action.class, words[0]);
                if (action == AccessConfig.Action.OK && words.length > 1) {
                    throw new IllegalArgumentException("'ok' takes no reply text");
                }
                return new AccessConfig.Rule(checked, action, words.length > 1 ? words[1] : null);
            }, null);
            if (rule != null) {
                rules.add(rule);
            }
        });
        return rules;
    }

    private static String domainPattern(String key, String what) {
        if (!key.matches(DOMAIN_PATTERN)) {
            throw new IllegalArgumentException("not " + what + ": '" + key + "'");
        }
        return key.toLowerCase(Locale.ROOT);
    }

    private static String addressPattern(String key) {
        if (key.equals("<>")) {
            return key;
        }
        int at = key.lastIndexOf('@');
        if (at < 0) {
            return domainPattern(key, "an address, @domain, domain or <>");
        }
        if (key.indexOf('@') != at || at == key.length() - 1) {
            throw new IllegalArgumentException("not an address, @domain, domain or <>: '" + key + "'");
        }
        domainPattern(key.substring(at + 1), "an address, @domain, domain or <>");
        return key.toLowerCase(Locale.ROOT);
    }
}
