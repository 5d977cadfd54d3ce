package org.mxgate.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.mxgate.net.Cidr;
import org.mxgate.net.HostPort;
import org.mxgate.net.NetworkSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads conf/mxgate.yml and every policy file its listeners name, validates the whole set and
 * returns it, or throws one {@link ConfigException} listing every {@code file:line: reason}.
 */
public final class ConfigLoader {

    private static final Set<String> TOP_KEYS = Set.of("hostname", "listeners", "pools", "policy_dir", "spool", "shutdown_grace",
            "dnsbl", "tls", "auth");
    private static final Set<String> TLS_KEYS = Set.of("certificate", "key");
    private static final Set<String> AUTH_KEYS = Set.of("max_failures_per_client", "max_failures_per_user",
            "failure_window", "failure_delay", "hash_threads");
    private static final Set<String> DNSBL_KEYS = Set.of("resolvers", "timeout", "zones", "allowlists", "cache");
    private static final Set<String> ZONE_KEYS = Set.of("zone", "weight", "codes", "fail");
    private static final Set<String> CACHE_KEYS = Set.of("min_ttl", "max_ttl", "failure_ttl", "size");
    private static final Set<String> LISTENER_KEYS = Set.of("name", "listen", "policy", "proxy_protocol",
            "source_address", "tls");
    private static final Set<String> PROXY_KEYS = Set.of("trusted", "timeout");
    private static final Set<String> POOL_KEYS = Set.of("balance", "max_attempts", "connect_timeout",
            "command_timeout", "data_timeout", "time_budget", "idle_connections", "idle_timeout", "servers",
            "forward_client_ip", "source_address", "health_check", "pressure_cooldown", "max_pressure_cooldown",
            "reserve", "slow_start", "slow_mail_from", "tls", "tls_trust", "tls_insecure");
    private static final Set<String> HEALTH_KEYS = Set.of("interval", "timeout", "probe", "sender", "rise", "fall");
    private static final Set<String> SERVER_KEYS = Set.of("name", "address", "weight", "state", "priority",
            "max_transactions");
    private static final Set<String> SPOOL_KEYS = Set.of("memory_limit", "directory");

    private final List<ConfigError> errors = new ArrayList<>();
    /** The reserve entries of every pool, checked against the listeners once those are read. */
    private final List<ReserveEntry> reserves = new ArrayList<>();
    /** For a reload: the configuration the gateway runs with; null for a first load. */
    private final GatewayConfig running;

    private record ReserveEntry(String pool, String listener, ConfigNode node) {
    }

    private ConfigLoader(GatewayConfig running) {
        this.running = running;
    }

    public static GatewayConfig load(Path configFile) throws ConfigException {
        return new ConfigLoader(null).read(configFile.toAbsolutePath().normalize());
    }

    /**
     * Loads, then runs a check over every policy (the relay self-test, which lives with the
     * policy code), and refuses the set when the check finds anything.
     */
    public static GatewayConfig load(Path configFile, Function<PolicyConfig, List<ConfigError>> policyCheck)
            throws ConfigException {
        return checked(load(configFile), policyCheck);
    }

    /**
     * For a reload of a gateway running with {@code running}: loads and checks as
     * {@link #load(Path, Function)} does, and also refuses what only a restart could honour
     * (a policy turning on DNS lists the running gateway started without), at that policy's line.
     */
    static GatewayConfig reload(Path configFile, Function<PolicyConfig, List<ConfigError>> policyCheck,
                                GatewayConfig running) throws ConfigException {
        return checked(new ConfigLoader(running).read(configFile.toAbsolutePath().normalize()), policyCheck);
    }

    private static GatewayConfig checked(GatewayConfig config, Function<PolicyConfig, List<ConfigError>> policyCheck)
            throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        config.policies().values().forEach(policy -> errors.addAll(policyCheck.apply(policy)));
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config;
    }

    private GatewayConfig read(Path file) throws ConfigException {
        ConfigNode root = parse(file);
        failIfErrors();
        root.allowOnly(TOP_KEYS);
        String hostname = root.string("hostname", "localhost");
        Map<String, PoolConfig> pools = new LinkedHashMap<>();
        root.child("pools").entries().forEach((name, node) -> pools.put(name, pool(name, node)));
        if (pools.isEmpty()) {
            root.error("at least one backend pool is needed under 'pools'");
        }
        int errorsBeforeDnsbl = errors.size();
        DnsblConfig dnsbl = root.get("dnsbl").map(ConfigLoader::dnsbl).orElse(null);
        // A broken dnsbl block is refused on its own; its missing zones need not be blamed on the policies too.
        String noDnsblZones = errors.size() > errorsBeforeDnsbl ? null : noDnsblZones(file, dnsbl);
        Path policyDir = file.getParent().resolve(root.string("policy_dir", "../policies")).normalize();
        UsersConfig users = users(policyDir.resolve("users.yml"));
        List<ListenerConfig> listeners = new ArrayList<>();
        Map<String, PolicyConfig> policies = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        boolean everyListenerRead = true;
        for (ConfigNode node : root.list("listeners")) {
            ListenerConfig listener = listener(node);
            if (listener == null) {
                everyListenerRead = false;
                continue;
            }
            if (!names.add(listener.name())) {
                node.error("duplicate listener name '" + listener.name() + "'");
            }
            listeners.add(listener);
            if (!policies.containsKey(listener.policy())) {
                PolicyConfig policy = policy(listener.policy(), policyDir.resolve(listener.policy() + ".yml"), node, pools,
                        users, noDnsblZones);
                if (policy != null) {
                    policies.put(listener.policy(), policy);
                }
            }
            if (policies.containsKey(listener.policy())) {
                checkBalancerNotRelay(node, listener, policies.get(listener.policy()));
                checkTlsForAuth(node, listener, policies.get(listener.policy()));
            }
        }
        if (listeners.isEmpty()) {
            root.error("at least one listener is needed under 'listeners'");
        }
        if (everyListenerRead) {
            checkReserves(names);
        }
        SpoolConfig spool = spool(root.child("spool"));
        Duration shutdownGrace = root.duration("shutdown_grace", Duration.ofSeconds(30));
        failIfErrors();
        ConfigNode tls = root.child("tls");
        tls.allowOnly(TLS_KEYS);
        TlsConfig tlsConfig = new TlsConfig(file.getParent().resolve(tls.string("certificate", "../certs/mxgate.crt")).normalize(),
                file.getParent().resolve(tls.string("key", "../certs/mxgate.key")).normalize());
        ConfigNode auth = root.child("auth");
        auth.allowOnly(AUTH_KEYS);
        AuthLimitsConfig a = AuthLimitsConfig.DEFAULTS;
        AuthLimitsConfig authLimits = new AuthLimitsConfig(
                auth.integer("max_failures_per_client", a.maxFailuresPerClient(), 1, 10_000),
                auth.integer("max_failures_per_user", a.maxFailuresPerUser(), 1, 10_000),
                auth.duration("failure_window", a.failureWindow()), auth.duration("failure_delay", a.failureDelay()),
                auth.integer("hash_threads", a.hashThreads(), 1, 64));
        failIfErrors();
        return new GatewayConfig(file, hostname, listeners, pools, policies, spool, shutdownGrace, dnsbl, tlsConfig,
                authLimits);
    }

    private ConfigNode parse(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Node node = new Yaml(new LoaderOptions()).compose(reader);
            return new ConfigNode(file, node, errors);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            errors.add(new ConfigError(file, line, "YAML syntax: " + e.getProblem()));
        } catch (IOException e) {
            errors.add(new ConfigError(file, 1, "cannot read: " + e));
        }
        return new ConfigNode(file, null, errors);
    }

    private void failIfErrors() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }

    private ListenerConfig listener(ConfigNode node) {
        node.allowOnly(LISTENER_KEYS);
        String name = node.requiredString("name");
        HostPort listen = node.get("listen").map(n -> n.parse(HostPort::parse, null)).orElse(null);
        if (listen == null) {
            node.error("listener needs 'listen: address:port'");
        }
        String policy = node.string("policy", name);
        ConfigNode proxy = node.child("proxy_protocol");
        proxy.allowOnly(PROXY_KEYS);
        List<String> trusted = new ArrayList<>();
        for (ConfigNode peer : proxy.list("trusted")) {
            if (peer.parse(Cidr::parse, null) != null) {
                trusted.add(peer.scalar());
            }
        }
        ProxyProtocolConfig proxyProtocol = new ProxyProtocolConfig(
                trusted.isEmpty() ? NetworkSet.EMPTY : NetworkSet.parse(trusted),
                proxy.duration("timeout", ProxyProtocolConfig.NONE.timeout()));
        ListenerConfig.Tls tls = node.get("tls").map(n -> n.parse(v -> {
            try {
                return ListenerConfig.Tls.valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tls must be none, starttls or implicit, got '" + v + "'");
            }
        }, ListenerConfig.Tls.NONE)).orElse(ListenerConfig.Tls.NONE);
        return name == null || listen == null ? null
                : new ListenerConfig(name, listen, policy, proxyProtocol, sourceAddress(node), tls);
    }

    /** {@code dnsbl:}: zones, allow lists, resolvers (IP literals; default the system's) and the cache. */
    private static DnsblConfig dnsbl(ConfigNode node) {
        node.allowOnly(DNSBL_KEYS);
        List<InetSocketAddress> resolvers = new ArrayList<>();
        for (ConfigNode r : node.list("resolvers")) {
            InetSocketAddress address = r.parse(text -> {
                HostPort hp = HostPort.parse(text.contains(":") && !text.startsWith("[") && text.indexOf(':') == text.lastIndexOf(':')
                        ? text : text + ":53");
                Cidr.parse(hp.host());
                return hp.resolved();
            }, null);
            if (address != null) {
                resolvers.add(address);
            }
        }
        ConfigNode cache = node.child("cache");
        cache.allowOnly(CACHE_KEYS);
        return new DnsblConfig(resolvers, node.duration("timeout", Duration.ofSeconds(2)),
                zones(node.list("zones"), true), zones(node.list("allowlists"), false),
                cache.duration("min_ttl", Duration.ofSeconds(60)), cache.duration("max_ttl", Duration.ofHours(1)),
                cache.duration("failure_ttl", DnsblConfig.DEFAULT_FAILURE_TTL),
                cache.integer("size", 100_000, 1, 10_000_000));
    }

    private static List<DnsblConfig.Zone> zones(List<ConfigNode> nodes, boolean blockList) {
        List<DnsblConfig.Zone> zones = new ArrayList<>();
        for (ConfigNode z : nodes) {
            z.allowOnly(ZONE_KEYS);
            String zone = z.requiredString("zone");
            List<String> codes = new ArrayList<>();
            for (ConfigNode c : z.list("codes")) {
                String code = c.parse(text -> {
                    // An address, a range a-b, or a CIDR block of IPv4 answers.
                    for (String part : text.split("-", 2)) {
                        if (Cidr.parse(part).network().length != 4) {
                            throw new IllegalArgumentException("list answers are IPv4: '" + text + "'");
                        }
                    }
                    return text;
                }, null);
                if (code != null) {
                    codes.add(code);
                }
            }
            double weight = z.get("weight").map(n -> n.parse(Double::parseDouble, 1.0)).orElse(1.0);
            boolean failClosed = z.get("fail").map(n -> n.parse(v -> switch (v) {
                case "open" -> false;
                case "closed" -> true;
                default -> throw new IllegalArgumentException("fail must be open or closed, got '" + v + "'");
            }, false)).orElse(false);
            if (zone != null) {
                zones.add(new DnsblConfig.Zone(zone, blockList ? weight : 0, codes, failClosed));
            }
        }
        return zones;
    }

    /** {@code reserve: { listener: 30% }}: shares of the pool's capacity kept for those listeners. */
    private Map<String, Integer> reserve(String pool, ConfigNode node) {
        Map<String, Integer> shares = new LinkedHashMap<>();
        node.entries().forEach((listener, value) -> {
            reserves.add(new ReserveEntry(pool, listener, value));
            Integer percent = value.parse(v -> {
                if (!v.matches("\\d{1,3}%") || Integer.parseInt(v.substring(0, v.length() - 1)) > 100) {
                    throw new IllegalArgumentException("reserve is a percentage such as 30%, got '" + v + "'");
                }
                return Integer.parseInt(v.substring(0, v.length() - 1));
            }, null);
            if (percent != null) {
                shares.put(listener, percent);
            }
        });
        if (shares.values().stream().mapToInt(Integer::intValue).sum() > 100) {
            node.error("reserves add up to more than 100%");
        }
        return shares;
    }

    /**
     * Each reserve names a listener of this file: a typo would keep its share for nobody, and
     * cap every real listener of the pool at the rest.
     */
    private void checkReserves(Set<String> listeners) {
        for (ReserveEntry entry : reserves) {
            if (!listeners.contains(entry.listener())) {
                entry.node().error("reserve names listener '" + entry.listener() + "', which is not under 'listeners' (known: "
                        + String.join(", ", listeners.stream().sorted().toList()) + "): its share of pool '" + entry.pool()
                        + "' would be kept for nobody");
            }
        }
    }

    /**
     * Why a policy may not turn DNS lists on, or null when it may: with no block list zone the
     * lists would never be asked, silently; and a running gateway asks only the zones it started
     * with (the checker is built at start).
     */
    private String noDnsblZones(Path file, DnsblConfig dnsbl) {
        if (dnsbl == null || dnsbl.zones().isEmpty()) {
            return "dnsbl.enabled is true, but " + file + " has no dnsbl zones: the lists would never be asked; add zones"
                    + " under 'dnsbl:' there, or set enabled: false";
        }
        if (running != null && (running.dnsbl() == null || running.dnsbl().zones().isEmpty())) {
            return "dnsbl.enabled is true, but the running gateway started without dnsbl zones, so the lists would never"
                    + " be asked; adding zones to " + file + " needs a restart";
        }
        return null;
    }

    /** {@code health_check:}; the defaults are HAProxy's habits with a probe as deep as back pressure. */
    private static HealthCheckConfig healthCheck(ConfigNode node) {
        node.allowOnly(HEALTH_KEYS);
        HealthCheckConfig.Probe probe = node.get("probe").map(n -> n.parse(v -> {
            try {
                return HealthCheckConfig.Probe.valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("probe must be connect, ehlo or mail_from, got '" + v + "'");
            }
        }, HealthCheckConfig.Probe.MAIL_FROM)).orElse(HealthCheckConfig.Probe.MAIL_FROM);
        String sender = node.get("sender").map(n -> n.parse(v -> {
            if (!v.matches("[^@\\s<>]+@[^@\\s<>]+")) {
                throw new IllegalArgumentException("sender must be an address such as probe@example.net, got '" + v + "'");
            }
            return v;
        }, "probe@mxgate.invalid")).orElse("probe@mxgate.invalid");
        return new HealthCheckConfig(node.duration("interval", Duration.ofSeconds(5)), node.duration("timeout", Duration.ofSeconds(3)),
                probe, sender, node.integer("rise", 2, 1, 100), node.integer("fall", 3, 1, 100));
    }

    /** {@code source_address}: an IP literal of this host to connect to backends from, or null. */
    private static InetAddress sourceAddress(ConfigNode node) {
        return node.get("source_address").map(n -> n.parse(text -> {
            Cidr cidr = Cidr.parse(text);
            if (cidr.prefix() != cidr.network().length * 8) {
                throw new IllegalArgumentException("source_address is one address, not a network: '" + text + "'");
            }
            try {
                return InetAddress.getByAddress(cidr.network());
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: '" + text + "'");
            }
        }, null)).orElse(null);
    }

    /**
     * Never an open relay: the balancer itself must not be a relay client of the listener it
     * speaks PROXY to, or every client behind it could relay. Refused unless the policy says
     * allow_wide_relay_networks.
     */
    private static void checkBalancerNotRelay(ConfigNode listenerNode, ListenerConfig listener, PolicyConfig policy) {
        if (policy.allowWideRelayNetworks()) {
            return;
        }
        for (Cidr peer : listener.proxyProtocol().trusted().networks()) {
            for (Cidr relay : policy.relayNetworks().networks()) {
                if (peer.overlaps(relay)) {
                    listenerNode.child("proxy_protocol").error("trusted PROXY peer " + peer + " of listener '"
                            + listener.name() + "' overlaps relay network " + relay + " of " + policy.file()
                            + ": every client behind that balancer could relay; give the balancer's address no relay"
                            + " rights (or set allow_wide_relay_networks: true if that is really meant)");
                }
            }
        }
    }

    /**
     * AUTH only over TLS on listeners that face the internet: a policy that offers AUTH, or
     * requires TLS, on a listener without TLS could never be satisfied, or would send passwords
     * in the clear, so it is refused at load rather than discovered by a user.
     */
    private static void checkTlsForAuth(ConfigNode listenerNode, ListenerConfig listener, PolicyConfig policy) {
        if (listener.tls() != ListenerConfig.Tls.NONE) {
            return;
        }
        if (policy.auth().enabled() && !policy.auth().plaintextOnLoopback()) {
            listenerNode.error("listener '" + listener.name() + "' has tls: none but its policy " + policy.file()
                    + " enables auth, which is offered only over TLS: set tls: starttls or implicit (or, for"
                    + " loopback clients only, auth.allow_plaintext_loopback: true)");
        }
        if (policy.requireTls()) {
            listenerNode.error("listener '" + listener.name() + "' has tls: none but its policy " + policy.file()
                    + " sets require_tls: no client could ever send; set tls: starttls or implicit");
        }
    }

    /** {@code tls}, {@code tls_trust} and {@code tls_insecure} of a pool. */
    private static BackendTlsConfig backendTls(ConfigNode node) {
        BackendTlsConfig.Mode mode = node.get("tls").map(n -> n.parse(v -> {
            try {
                return BackendTlsConfig.Mode.valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tls must be none, opportunistic or required, got '" + v + "'");
            }
        }, BackendTlsConfig.Mode.NONE)).orElse(BackendTlsConfig.Mode.NONE);
        Path trust = node.get("tls_trust").map(n -> n.parse(v -> n.file().getParent().resolve(v).normalize(), null))
                .orElse(null);
        if (trust != null && !Files.isRegularFile(trust)) {
            node.child("tls_trust").error("tls_trust file " + trust + " does not exist");
        }
        boolean insecure = node.bool("tls_insecure", false);
        if ((trust != null || insecure) && mode != BackendTlsConfig.Mode.REQUIRED) {
            node.error("tls_trust and tls_insecure apply to tls: required only (opportunistic TLS never checks certificates)");
        }
        if (trust != null && insecure) {
            node.error("tls_trust and tls_insecure contradict each other: insecure accepts any certificate");
        }
        return new BackendTlsConfig(mode, trust, insecure);
    }

    private PoolConfig pool(String name, ConfigNode node) {
        node.allowOnly(POOL_KEYS);
        PoolConfig.Balance balance = node.get("balance").map(n -> n.parse(s -> {
            try {
                return PoolConfig.Balance.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("balance must be round_robin, weighted_round_robin, least_connections"
                        + " or priority, got '" + s + "'");
            }
        }, PoolConfig.Balance.WEIGHTED_ROUND_ROBIN)).orElse(PoolConfig.Balance.WEIGHTED_ROUND_ROBIN);
        List<ServerConfig> servers = new ArrayList<>();
        Set<String> serverNames = new HashSet<>();
        for (ConfigNode s : node.list("servers")) {
            s.allowOnly(SERVER_KEYS);
            HostPort address = s.get("address").map(n -> n.parse(HostPort::parse, null)).orElse(null);
            if (address == null) {
                s.error("server needs 'address: host:port'");
                continue;
            }
            String serverName = s.string("name", address.toString());
            if (!serverNames.add(serverName)) {
                s.error("duplicate server name '" + serverName + "' in pool " + name);
            }
            ServerConfig.AdminState state = s.get("state").map(n -> n.parse(v -> {
                try {
                    return ServerConfig.AdminState.valueOf(v.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("state must be up, drain or halt, got '" + v + "'");
                }
            }, ServerConfig.AdminState.UP)).orElse(ServerConfig.AdminState.UP);
            servers.add(new ServerConfig(serverName, address, s.integer("weight", 1, 1, 1000), state,
                    s.integer("priority", 0, 0, 1000), s.integer("max_transactions", 0, 0, 100_000)));
        }
        if (servers.isEmpty()) {
            node.error("pool '" + name + "' needs at least one server");
        }
        return new PoolConfig(name, balance,
                node.integer("max_attempts", 3, 1, 20),
                node.duration("connect_timeout", Duration.ofSeconds(10)),
                node.duration("command_timeout", Duration.ofSeconds(30)),
                node.duration("data_timeout", Duration.ofMinutes(5)),
                node.duration("time_budget", Duration.ofMinutes(8)),
                node.integer("idle_connections", 8, 0, 1000),
                node.duration("idle_timeout", Duration.ofSeconds(30)),
                servers,
                node.get("forward_client_ip").map(n -> n.parse(v -> {
                    try {
                        return PoolConfig.ForwardClientIp.valueOf(v.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("forward_client_ip must be none, xclient or proxy_v2, got '" + v + "'");
                    }
                }, PoolConfig.ForwardClientIp.NONE)).orElse(PoolConfig.ForwardClientIp.NONE),
                sourceAddress(node),
                node.get("health_check").map(ConfigLoader::healthCheck).orElse(null),
                node.duration("pressure_cooldown", Duration.ofSeconds(30)),
                node.duration("max_pressure_cooldown", Duration.ofMinutes(10)),
                node.duration("slow_start", Duration.ofSeconds(30)),
                node.duration("slow_mail_from", Duration.ofSeconds(10)),
                reserve(name, node.child("reserve")),
                backendTls(node));
    }

    private PolicyConfig policy(String name, Path file, ConfigNode listener, Map<String, PoolConfig> pools,
                                UsersConfig users, String noDnsblZones) {
        if (!Files.isRegularFile(file)) {
            listener.error("policy file " + file + " does not exist");
            return null;
        }
        return PolicyFileReader.read(name, file, parse(file), pools, users, noDnsblZones);
    }

    /** The users file beside the policies; none is no users, and it is watched for its creation too. */
    private UsersConfig users(Path file) {
        if (!Files.exists(file)) {
            return new UsersConfig(file, Map.of());
        }
        return UsersFileReader.read(parse(file));
    }

    private SpoolConfig spool(ConfigNode node) {
        node.allowOnly(SPOOL_KEYS);
        long memory = node.size("memory_limit", 1024 * 1024);
        if (memory > Integer.MAX_VALUE) {
            node.child("memory_limit").error("memory_limit must be below 2GB");
            memory = 1024 * 1024;
        }
        Path directory;
        Optional<ConfigNode> given = node.get("directory");
        if (given.isPresent()) {
            // Relative to this file, as every path in it is (docs/configuration.md).
            directory = given.get().parse(v -> node.file().getParent().resolve(v).normalize(), null);
            if (directory != null) {
                checkSpoolDirectory(given.get(), directory, "");
            }
        } else {
            directory = Path.of(System.getProperty("java.io.tmpdir"));
            checkSpoolDirectory(node, directory, " (the default, java.io.tmpdir; set spool.directory)");
        }
        return new SpoolConfig((int) memory, directory == null ? Path.of(System.getProperty("java.io.tmpdir")) : directory);
    }

    /**
     * Bodies above memory_limit go to files here in the middle of a transaction; a directory that
     * is missing or read-only is found now, not by the first large message's 451.
     */
    private static void checkSpoolDirectory(ConfigNode node, Path directory, String note) {
        if (!Files.exists(directory)) {
            node.error("spool directory " + directory + note + " does not exist; create it, writable by the user mxgate"
                    + " runs as");
        } else if (!Files.isDirectory(directory)) {
            node.error("spool directory " + directory + note + " is not a directory");
        } else if (!Files.isWritable(directory) || !Files.isExecutable(directory)) {
            node.error("spool directory " + directory + note + " is not writable by the user mxgate runs as");
        }
    }
}
