package org.mxgate.config;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mxgate.net.HostPort;

/**
 * The {@code pools:} of conf/mxgate.yml into {@link PoolConfig}s: servers, health check, backend
 * TLS and reserves. A reserve names a listener, which is checked once every listener is read
 * ({@link #checkReserves}). Every mistake is recorded on its node as {@code file:line: reason}.
 */
final class PoolReader {

    private static final Block POOL = new Block("servers", "health_check", "reserve");
    private static final Key<PoolConfig.Balance> BALANCE = POOL.choice("balance", PoolConfig.Balance.WEIGHTED_ROUND_ROBIN);
    private static final Key<Integer> MAX_ATTEMPTS = POOL.integer("max_attempts", 3, 1, 20);
    private static final Key<Duration> CONNECT_TIMEOUT = POOL.duration("connect_timeout", Duration.ofSeconds(10));
    private static final Key<Duration> COMMAND_TIMEOUT = POOL.duration("command_timeout", Duration.ofSeconds(30));
    private static final Key<Duration> DATA_TIMEOUT = POOL.duration("data_timeout", Duration.ofMinutes(5));
    private static final Key<Duration> TIME_BUDGET = POOL.duration("time_budget", Duration.ofMinutes(8));
    private static final Key<Integer> IDLE_CONNECTIONS = POOL.integer("idle_connections", 8, 0, 1000);
    private static final Key<Duration> IDLE_TIMEOUT = POOL.duration("idle_timeout", Duration.ofSeconds(30));
    private static final Key<PoolConfig.ForwardClientIp> FORWARD_CLIENT_IP = POOL.choice("forward_client_ip",
            PoolConfig.ForwardClientIp.NONE);
    private static final Key<InetAddress> SOURCE_ADDRESS = POOL.key("source_address", null, ListenerReader::oneAddress);
    private static final Key<Duration> PRESSURE_COOLDOWN = POOL.duration("pressure_cooldown", Duration.ofSeconds(30));
    private static final Key<Duration> MAX_PRESSURE_COOLDOWN = POOL.duration("max_pressure_cooldown", Duration.ofMinutes(10));
    private static final Key<Duration> SLOW_START = POOL.duration("slow_start", Duration.ofSeconds(30));
    private static final Key<Duration> SLOW_MAIL_FROM = POOL.duration("slow_mail_from", Duration.ofSeconds(10));
    private static final Key<BackendTlsConfig.Mode> TLS = POOL.choice("tls", BackendTlsConfig.Mode.NONE);
    /** Relative to the file. */
    private static final Key<Path> TLS_TRUST = POOL.key("tls_trust", null, Path::of);
    private static final Key<Boolean> TLS_INSECURE = POOL.bool("tls_insecure", false);

    private static final Block SERVER = new Block();
    /** Required; the refusal says how to write it. */
    private static final Key<HostPort> ADDRESS = SERVER.key("address", null, HostPort::parse);
    /** Default: the address. */
    private static final Key<String> SERVER_NAME = SERVER.text("name", null);
    private static final Key<Integer> WEIGHT = SERVER.integer("weight", 1, 1, 1000);
    private static final Key<ServerConfig.AdminState> STATE = SERVER.choice("state", ServerConfig.AdminState.UP);
    private static final Key<Integer> PRIORITY = SERVER.integer("priority", 0, 0, 1000);
    private static final Key<Integer> MAX_TRANSACTIONS = SERVER.integer("max_transactions", 0, 0, 100_000);

    // The health check's defaults are HAProxy's habits, with a probe as deep as back pressure.
    private static final Block HEALTH_CHECK = new Block();
    private static final Key<Duration> INTERVAL = HEALTH_CHECK.duration("interval", Duration.ofSeconds(5));
    private static final Key<Duration> TIMEOUT = HEALTH_CHECK.duration("timeout", Duration.ofSeconds(3));
    private static final Key<HealthCheckConfig.Probe> PROBE = HEALTH_CHECK.choice("probe", HealthCheckConfig.Probe.MAIL_FROM);
    private static final Key<String> SENDER = HEALTH_CHECK.key("sender", "probe@mxgate.invalid", PoolReader::probeSender);
    private static final Key<Integer> RISE = HEALTH_CHECK.integer("rise", 2, 1, 100);
    private static final Key<Integer> FALL = HEALTH_CHECK.integer("fall", 3, 1, 100);

    /** The reserve entries of every pool, checked against the listeners once those are read. */
    private final List<ReserveEntry> reserves = new ArrayList<>();

    private record ReserveEntry(String pool, String listener, ConfigNode node) {
    }

    PoolConfig read(String name, ConfigNode node) {
        node.allowOnly(POOL);
        PoolConfig.Balance balance = node.value(BALANCE);
        List<ServerConfig> servers = servers(name, node.list("servers"));
        if (servers.isEmpty()) {
            node.error("pool '" + name + "' needs at least one server");
        }
        return new PoolConfig(name, balance, node.value(MAX_ATTEMPTS), node.value(CONNECT_TIMEOUT),
                node.value(COMMAND_TIMEOUT), node.value(DATA_TIMEOUT), node.value(TIME_BUDGET),
                node.value(IDLE_CONNECTIONS), node.value(IDLE_TIMEOUT), servers, node.value(FORWARD_CLIENT_IP),
                node.value(SOURCE_ADDRESS), node.get("health_check").map(PoolReader::healthCheck).orElse(null),
                node.value(PRESSURE_COOLDOWN), node.value(MAX_PRESSURE_COOLDOWN), node.value(SLOW_START),
                node.value(SLOW_MAIL_FROM), reserve(name, node.child("reserve")), backendTls(node));
    }

    private static List<ServerConfig> servers(String pool, List<ConfigNode> nodes) {
        List<ServerConfig> servers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode s : nodes) {
            s.allowOnly(SERVER);
            HostPort address = s.value(ADDRESS);
            if (address == null) {
                s.error("server needs 'address: host:port'");
                continue;
            }
            String name = s.value(SERVER_NAME);
            name = name == null ? address.toString() : name;
            if (!names.add(name)) {
                s.error("duplicate server name '" + name + "' in pool " + pool);
            }
            ServerConfig.AdminState state = s.value(STATE);
            servers.add(new ServerConfig(name, address, s.value(WEIGHT), state, s.value(PRIORITY),
                    s.value(MAX_TRANSACTIONS)));
        }
        return servers;
    }

    private static HealthCheckConfig healthCheck(ConfigNode node) {
        node.allowOnly(HEALTH_CHECK);
        HealthCheckConfig.Probe probe = node.value(PROBE);
        String sender = node.value(SENDER);
        return new HealthCheckConfig(node.value(INTERVAL), node.value(TIMEOUT), probe, sender, node.value(RISE),
                node.value(FALL));
    }

    private static String probeSender(String text) {
        if (!text.matches("[^@\\s<>]+@[^@\\s<>]+")) {
            throw new IllegalArgumentException("sender must be an address such as probe@example.net, got '" + text + "'");
        }
        return text;
    }

    /** {@code tls}, {@code tls_trust} and {@code tls_insecure} of a pool. */
    private static BackendTlsConfig backendTls(ConfigNode node) {
        BackendTlsConfig.Mode mode = node.value(TLS);
        Path trust = node.value(TLS_TRUST);
        if (trust != null) {
            trust = node.resolve(trust);
            if (!Files.isRegularFile(trust)) {
                node.child("tls_trust").error("tls_trust file " + trust + " does not exist");
            }
        }
        boolean insecure = node.value(TLS_INSECURE);
        if ((trust != null || insecure) && mode != BackendTlsConfig.Mode.REQUIRED) {
            node.error("tls_trust and tls_insecure apply to tls: required only (opportunistic TLS never checks certificates)");
        }
        if (trust != null && insecure) {
            node.error("tls_trust and tls_insecure contradict each other: insecure accepts any certificate");
        }
        return new BackendTlsConfig(mode, trust, insecure);
    }

    /** {@code reserve: { listener: 30% }}: shares of the pool's capacity kept for those listeners. */
    private Map<String, Integer> reserve(String pool, ConfigNode node) {
        Map<String, Integer> shares = new LinkedHashMap<>();
        node.entries().forEach((listener, value) -> {
            reserves.add(new ReserveEntry(pool, listener, value));
            Integer percent = value.parse(PoolReader::percent, null);
            if (percent != null) {
                shares.put(listener, percent);
            }
        });
        if (shares.values().stream().mapToInt(Integer::intValue).sum() > 100) {
            node.error("reserves add up to more than 100%");
        }
        return shares;
    }

    private static int percent(String text) {
        if (!text.matches("\\d{1,3}%") || Integer.parseInt(text.substring(0, text.length() - 1)) > 100) {
            throw new IllegalArgumentException("reserve is a percentage such as 30%, got '" + text + "'");
        }
        return Integer.parseInt(text.substring(0, text.length() - 1));
    }

    /**
     * Each reserve names a listener of this file: a typo would keep its share for nobody, and
     * cap every real listener of the pool at the rest.
     */
    void checkReserves(Set<String> listeners) {
        for (ReserveEntry entry : reserves) {
            if (!listeners.contains(entry.listener())) {
                entry.node().error("reserve names listener '" + entry.listener() + "', which is not under 'listeners' (known: "
                        + String.join(", ", listeners.stream().sorted().toList()) + "): its share of pool '" + entry.pool()
                        + "' would be kept for nobody");
            }
        }
    }
}
