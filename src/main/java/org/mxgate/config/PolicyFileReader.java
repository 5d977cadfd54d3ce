package org.mxgate.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.mxgate.net.Cidr;
import org.mxgate.net.NetworkSet;

/**
 * One policy file, {@code policies/<name>.yml}, into a {@link PolicyConfig}: accepted domains,
 * relay networks (with the wide-network guardrail), routes, access rules and limits. Every
 * mistake is recorded on its node as {@code file:line: reason}; nothing is thrown here.
 */
final class PolicyFileReader {

    private static final Set<String> POLICY_KEYS = Set.of("accept_domains", "relay", "route", "routes", "limits",
            "allow_wide_relay_networks", "access", "dnsbl", "auth", "require_tls");
    private static final Set<String> AUTH_KEYS = Set.of("enabled", "allow_plaintext_loopback", "sender_login");
    private static final Set<String> DNSBL_KEYS = Set.of("enabled", "threshold", "enforce");
    private static final Set<String> ACCESS_KEYS = Set.of("clients", "helo", "senders", "recipients");
    private static final Set<String> RELAY_KEYS = Set.of("networks", "authenticated");
    private static final Set<String> LIMIT_KEYS = Set.of("max_message_size", "max_recipients", "max_errors", "idle_timeout");

    private PolicyFileReader() {
    }

    /** @param noDnsblZones why this policy may not turn DNS lists on (no zones to ask), or null when it may */
    static PolicyConfig read(String name, Path file, ConfigNode root, Map<String, PoolConfig> pools, UsersConfig users,
                             String noDnsblZones) {
        root.allowOnly(POLICY_KEYS);
        List<String> domains = new ArrayList<>();
        for (ConfigNode d : root.list("accept_domains")) {
            String domain = d.scalar();
            if (domain != null && !domain.matches("(\\*\\.)?[^*@\\s\\[\\]]+")) {
                d.error("not a domain or *.domain pattern: '" + domain + "'");
            } else if (domain != null) {
                domains.add(domain);
            }
        }
        ConfigNode relay = root.child("relay");
        relay.allowOnly(RELAY_KEYS);
        List<String> nets = new ArrayList<>();
        NetworkSet networks = NetworkSet.EMPTY;
        boolean allowWide = root.bool("allow_wide_relay_networks", false);
        for (ConfigNode n : relay.list("networks")) {
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
        if (!nets.isEmpty()) {
            networks = NetworkSet.parse(nets);
        }
        ConfigNode authNode = root.child("auth");
        authNode.allowOnly(AUTH_KEYS);
        PolicyConfig.Auth auth = new PolicyConfig.Auth(authNode.bool("enabled", false),
                authNode.bool("allow_plaintext_loopback", false), authNode.bool("sender_login", false),
                relay.bool("authenticated", false), users);
        // Never an open relay: relay for logged-in users is meaningless, and suspicious, where nobody can log in.
        if (auth.relayAuthenticated() && !auth.enabled()) {
            relay.child("authenticated").error("relay.authenticated needs auth: { enabled: true } in the same policy");
        }
        if (auth.senderLogin() && !auth.enabled()) {
            authNode.child("sender_login").error("sender_login needs auth: { enabled: true }");
        }
        Map<String, String> routes = routes(root, pools);
        AccessConfig access = access(root.child("access"));
        ConfigNode limits = root.child("limits");
        limits.allowOnly(LIMIT_KEYS);
        LimitsConfig d = LimitsConfig.DEFAULTS;
        LimitsConfig limitsConfig = new LimitsConfig(
                limits.size("max_message_size", d.maxMessageSize()),
                limits.integer("max_recipients", d.maxRecipients(), 1, 100_000),
                limits.integer("max_errors", d.maxErrors(), 1, 1000),
                limits.duration("idle_timeout", d.idleTimeout()));
        ConfigNode dnsbl = root.child("dnsbl");
        dnsbl.allowOnly(DNSBL_KEYS);
        double threshold = dnsbl.get("threshold").map(n -> n.parse(v -> {
            double t = Double.parseDouble(v);
            if (!(t > 0)) {
                throw new IllegalArgumentException("threshold must be above 0, got " + v);
            }
            return t;
        }, 1.0)).orElse(1.0);
        boolean atConnect = dnsbl.get("enforce").map(n -> n.parse(v -> switch (v) {
            case "rcpt" -> false;
            case "connect" -> true;
            default -> throw new IllegalArgumentException("enforce must be rcpt or connect, got '" + v + "'");
        }, false)).orElse(false);
        boolean dnsblEnabled = dnsbl.bool("enabled", false);
        if (dnsblEnabled && noDnsblZones != null) {
            dnsbl.child("enabled").error(noDnsblZones);
        }
        return new PolicyConfig(name, file, domains, networks, routes, limitsConfig, allowWide, access,
                new PolicyConfig.Dnsbl(dnsblEnabled, threshold, atConnect), auth,
                root.bool("require_tls", false));
    }

    /** {@code routes:} (domain pattern to pool, in file order) and its shorthand {@code route: pool} for "*". */
    private static Map<String, String> routes(ConfigNode root, Map<String, PoolConfig> pools) {
        Map<String, String> routes = new LinkedHashMap<>();
        root.child("routes").entries().forEach((pattern, node) -> {
            String key = pattern.toLowerCase(Locale.ROOT);
            if (!key.equals(PolicyConfig.DEFAULT_ROUTE) && !key.matches("(\\*\\.)?[^*@\\s\\[\\]]+")) {
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
        node.allowOnly(ACCESS_KEYS);
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
                AccessConfig.Action action;
                try {
                    action = AccessConfig.Action.valueOf(words[0].toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("access action must be ok, reject or tempfail, got '" + words[0] + "'");
                }
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
        if (!key.matches("(\\*\\.)?[^*@\\s\\[\\]]+")) {
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
