package org.mxgate.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.mxgate.mail.InstanceId;
import org.mxgate.net.HostPort;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads conf/mxgate.yml and every policy file its listeners name, validates the whole set and
 * returns it, or throws one {@link ConfigException} listing every {@code file:line: reason}.
 * Each block's keys are declared once, here and in the readers of the larger blocks
 * ({@link ListenerReader}, {@link PoolReader}, {@link DnsblReader}, {@link PolicyFileReader}).
 */
public final class ConfigLoader {

    private static final Block TOP = new Block("listeners", "pools", "dnsbl", "spool", "tls", "auth", "admin",
            "shared_state");
    private static final Key<String> HOSTNAME = TOP.text("hostname", "localhost");
    /** Relative to this file, as every path in it. */
    private static final Key<String> POLICY_DIR = TOP.text("policy_dir", "../policies");
    private static final Key<Duration> SHUTDOWN_GRACE = TOP.duration("shutdown_grace", Duration.ofSeconds(30));
    private static final Key<Integer> MAX_CONNECTIONS = TOP.integer("max_connections", GatewayConfig.DEFAULT_MAX_CONNECTIONS,
            0, 10_000_000);
    /** Absent: derived from the machine name, this file's path and the listen addresses (InstanceId.derive). */
    private static final Key<InstanceId> INSTANCE_ID = TOP.key("instance_id", null, InstanceId::parse);

    private static final Block TLS = new Block();
    private static final Key<String> CERTIFICATE = TLS.text("certificate", "../certs/mxgate.crt");
    private static final Key<String> KEY = TLS.text("key", "../certs/mxgate.key");
    private static final Key<TlsConfig.Library> LIBRARY = TLS.choice("library", TlsConfig.Library.AUTO);
    /** Both or neither, relative to this file; none: one pair, as Postfix without smtpd_tls_eccert_file. */
    private static final Key<String> ECDSA_CERTIFICATE = TLS.text("ecdsa_certificate", null);
    private static final Key<String> ECDSA_KEY = TLS.text("ecdsa_key", null);

    private static final Block AUTH = new Block();
    private static final AuthLimitsConfig AUTH_DEFAULTS = AuthLimitsConfig.DEFAULTS;
    private static final Key<Integer> MAX_FAILURES_PER_CLIENT = AUTH.integer("max_failures_per_client",
            AUTH_DEFAULTS.maxFailuresPerClient(), 1, 10_000);
    private static final Key<Integer> MAX_FAILURES_PER_USER = AUTH.integer("max_failures_per_user",
            AUTH_DEFAULTS.maxFailuresPerUser(), 1, 10_000);
    private static final Key<Duration> FAILURE_WINDOW = AUTH.duration("failure_window", AUTH_DEFAULTS.failureWindow());
    private static final Key<Duration> FAILURE_DELAY = AUTH.duration("failure_delay", AUTH_DEFAULTS.failureDelay());
    private static final Key<Integer> HASH_THREADS = AUTH.integer("hash_threads", AUTH_DEFAULTS.hashThreads(), 1, 64);

    private static final Block SPOOL = new Block();
    private static final Key<Long> MEMORY_LIMIT = SPOOL.size("memory_limit", 1024 * 1024);
    /** Relative to this file; default the JVM's java.io.tmpdir. */
    private static final Key<Path> DIRECTORY = SPOOL.key("directory", null, Path::of);
    /** 0: a quarter of the JVM's heap (-Xmx). */
    private static final Key<Long> MEMORY_BUDGET = SPOOL.size("memory_budget", 0);
    private static final Key<Long> DISK_BUDGET = SPOOL.size("disk_budget", SpoolConfig.DEFAULT_DISK_BUDGET);

    private static final Block ADMIN = new Block();
    /** Required when the block is there; the block's absence is what turns the admin listener off. */
    private static final Key<HostPort> ADMIN_LISTEN = ADMIN.key("listen", null, HostPort::parse);
    /** Relative to this file; none makes the API read-only. */
    private static final Key<Path> TOKEN_FILE = ADMIN.key("token_file", null, Path::of);

    private static final Block SHARED = new Block();
    /** Required when the block is there; the block's absence is what keeps every instance to itself. */
    private static final Key<String> REDIS = SHARED.key("redis", null, SharedStates::redisUri);
    private static final Key<String> KEY_PREFIX = SHARED.text("key_prefix", "mxgate:");
    private static final Key<Duration> SHARED_TIMEOUT = SHARED.key("timeout", Duration.ofMillis(250),
            text -> SharedStates.within("timeout", Key.parseDuration(text), Duration.ofMillis(10), Duration.ofSeconds(5)));
    private static final Key<Duration> LEASE_TIME = SHARED.key("lease_time", Duration.ofSeconds(30),
            text -> SharedStates.within("lease_time", Key.parseDuration(text), Duration.ofSeconds(3), Duration.ofHours(1)));
    private static final Key<SharedStateConfig.AuthWhenAway> AUTH_WHEN_AWAY = SHARED.choice("auth_when_away",
            SharedStateConfig.AuthWhenAway.OPEN);

    /** Far above any config file; SnakeYAML refuses a document of more than 3M code points anyway. */
    private static final long MAX_FILE_SIZE = 3L * 1024 * 1024;

    private final List<ConfigError> errors = new ArrayList<>();
    /** For a reload: the configuration the gateway runs with; null for a first load. */
    private final GatewayConfig running;
    private final PoolReader poolReader = new PoolReader();
    private final Map<String, PoolConfig> pools = new LinkedHashMap<>();
    private final List<ListenerConfig> listeners = new ArrayList<>();
    private final Map<String, PolicyConfig> policies = new LinkedHashMap<>();

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
        root.allowOnly(TOP);
        String hostname = root.value(HOSTNAME);
        root.child("pools").entries().forEach((name, node) -> pools.put(name, poolReader.read(name, node)));
        if (pools.isEmpty()) {
            root.error("at least one backend pool is needed under 'pools'");
        }
        int errorsBeforeDnsbl = errors.size();
        DnsblConfig dnsbl = root.get("dnsbl").map(DnsblReader::read).orElse(null);
        // A broken dnsbl block is refused on its own; its missing zones need not be blamed on the policies too.
        String noDnsblZones = errors.size() > errorsBeforeDnsbl ? null : DnsblReader.noZones(file, dnsbl, running);
        Path policyDir = root.resolve(Path.of(root.value(POLICY_DIR)));
        readListeners(root, policyDir, users(policyDir.resolve("users.yml")), noDnsblZones);
        SpoolConfig spool = spool(root.child("spool"));
        Duration shutdownGrace = root.value(SHUTDOWN_GRACE);
        int maxConnections = root.value(MAX_CONNECTIONS);
        InstanceId instanceId = root.value(INSTANCE_ID);
        failIfErrors();
        if (instanceId == null) {
            instanceId = InstanceId.derive(machineName(), file.toString(),
                    listeners.stream().map(l -> l.listen().toString()).toList());
        }
        ConfigNode tls = root.child("tls");
        tls.allowOnly(TLS);
        TlsConfig tlsConfig = new TlsConfig(root.resolve(Path.of(tls.value(CERTIFICATE))),
                root.resolve(Path.of(tls.value(KEY))), tls.value(LIBRARY), ecdsaPair(root, tls));
        ConfigNode auth = root.child("auth");
        auth.allowOnly(AUTH);
        AuthLimitsConfig authLimits = new AuthLimitsConfig(auth.value(MAX_FAILURES_PER_CLIENT),
                auth.value(MAX_FAILURES_PER_USER), auth.value(FAILURE_WINDOW), auth.value(FAILURE_DELAY),
                auth.value(HASH_THREADS));
        AdminConfig admin = root.get("admin").map(ConfigLoader::admin).orElse(null);
        SharedStateConfig shared = root.get("shared_state").map(ConfigLoader::sharedState).orElse(null);
        failIfErrors();
        return new GatewayConfig(file, hostname, listeners, pools, policies, spool, shutdownGrace, dnsbl, tlsConfig,
                authLimits, maxConnections, admin, instanceId, shared);
    }

    /** The second, ECDSA, pair of the tls block; null when neither key is there. */
    private static TlsConfig.EcdsaPair ecdsaPair(ConfigNode root, ConfigNode tls) {
        String certificate = tls.value(ECDSA_CERTIFICATE);
        String key = tls.value(ECDSA_KEY);
        if (certificate == null && key == null) {
            return null;
        }
        if (certificate == null || key == null) {
            // A certificate without its key (or the reverse) cannot be served; a silent single pair would hide it.
            String given = certificate == null ? ECDSA_KEY.name() : ECDSA_CERTIFICATE.name();
            String absent = certificate == null ? ECDSA_CERTIFICATE.name() : ECDSA_KEY.name();
            tls.child(given).error(given + " needs " + absent + " beside it: give both files of the ECDSA pair, or"
                    + " neither");
            return null;
        }
        int line = tls.child(ECDSA_CERTIFICATE.name()).line();
        return new TlsConfig.EcdsaPair(root.resolve(Path.of(certificate)), root.resolve(Path.of(key)), root.file(), line);
    }

    /**
     * The host name of this machine or container: the kernel's on Linux (each container has its
     * own), else the environment's; never a DNS lookup, which could stall a start.
     */
    private static String machineName() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel, StandardCharsets.US_ASCII).strip();
            }
        } catch (IOException e) {
            // Not Linux, or a sandbox: the environment's name below.
        }
        String name = System.getenv("HOSTNAME");
        if (name == null) {
            name = System.getenv("COMPUTERNAME");
        }
        return name == null ? "localhost" : name;
    }

    /** Each listener, the policy file it names (read once however many listeners share it), and the two together. */
    private void readListeners(ConfigNode root, Path policyDir, UsersConfig users, String noDnsblZones) {
        Set<String> names = new HashSet<>();
        boolean everyListenerRead = true;
        for (ConfigNode node : root.list("listeners")) {
            ListenerConfig listener = ListenerReader.read(node);
            if (listener == null) {
                everyListenerRead = false;
                continue;
            }
            if (!names.add(listener.name())) {
                node.error("duplicate listener name '" + listener.name() + "'");
            }
            listeners.add(listener);
            if (!policies.containsKey(listener.policy())) {
                PolicyConfig policy = policy(listener.policy(), policyDir.resolve(listener.policy() + ".yml"), node, users,
                        noDnsblZones);
                if (policy != null) {
                    policies.put(listener.policy(), policy);
                }
            }
            if (policies.containsKey(listener.policy())) {
                ListenerReader.checkBalancerNotRelay(node, listener, policies.get(listener.policy()));
                ListenerReader.checkTlsForAuth(node, listener, policies.get(listener.policy()));
            }
        }
        if (listeners.isEmpty()) {
            root.error("at least one listener is needed under 'listeners'");
        }
        if (everyListenerRead) {
            poolReader.checkReserves(names);
        }
    }

    private ConfigNode parse(Path file) {
        try {
            String text = utf8(file);
            if (text != null) {
                return new ConfigNode(file, new Yaml(new LoaderOptions()).compose(new StringReader(text)), errors);
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            errors.add(new ConfigError(file, line, "YAML syntax: " + e.getProblem()));
        } catch (YAMLException e) {
            // A limit of the parser (nesting depth, aliases), which names no position.
            errors.add(new ConfigError(file, 1, "YAML: " + e.getMessage()));
        } catch (IOException e) {
            errors.add(new ConfigError(file, 1, "cannot read: " + e));
        }
        return new ConfigNode(file, null, errors);
    }

    /**
     * The file's text, or null when it is not UTF-8, which is recorded at the line of the first
     * bad byte (a policy saved as Latin-1 must be refused, not crash check or the reload:
     * ConfigLoaderFuzzTest).
     */
    private String utf8(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_SIZE) {
            errors.add(new ConfigError(file, 1, "larger than " + MAX_FILE_SIZE / (1024 * 1024) + "MB: not a config file"));
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length);
        if (StandardCharsets.UTF_8.newDecoder().decode(in, text, true).isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            errors.add(new ConfigError(file, line, "not UTF-8 text; save the file as UTF-8"));
            return null;
        }
        return text.flip().toString();
    }

    private void failIfErrors() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }

    private PolicyConfig policy(String name, Path file, ConfigNode listener, UsersConfig users, String noDnsblZones) {
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

    /**
     * The admin listener drains and halts backends: reachable from the network only with a
     * token, and a token file that cannot give one is refused now, not at the first request.
     */
    private static AdminConfig admin(ConfigNode node) {
        node.allowOnly(ADMIN);
        HostPort listen = node.value(ADMIN_LISTEN);
        if (node.get("listen").isEmpty()) {
            node.error("missing key 'listen' (the admin block turns the admin listener on; remove it to keep it off)");
            return null;
        }
        Path tokenFile = node.value(TOKEN_FILE);
        if (tokenFile != null) {
            tokenFile = node.resolve(tokenFile);
            try {
                TokenFile.read(tokenFile);
            } catch (java.nio.file.NoSuchFileException e) {
                node.child("token_file").error("admin.token_file " + tokenFile + " does not exist");
            } catch (java.nio.file.AccessDeniedException e) {
                node.child("token_file").error("admin.token_file " + tokenFile + " is not readable by the user mxgate"
                        + " runs as");
            } catch (IOException e) {
                node.child("token_file").error("admin.token_file " + tokenFile + " cannot be read: " + e);
            } catch (IllegalArgumentException e) {
                node.child("token_file").error("admin.token_file " + tokenFile + " " + e.getMessage());
            }
        }
        AdminConfig admin = listen == null ? null : new AdminConfig(listen, tokenFile);
        if (admin != null && tokenFile == null && !admin.isLoopback()) {
            node.child("listen").error("admin.listen " + listen + " is not a loopback address: set admin.token_file too,"
                    + " or listen on 127.0.0.1 (the API drains and halts backends)");
        }
        return admin;
    }

    /** The Redis the instances share their counters and flags on (docs/scaling.md). */
    private static SharedStateConfig sharedState(ConfigNode node) {
        node.allowOnly(SHARED);
        String redis = node.value(REDIS);
        if (node.get("redis").isEmpty()) {
            node.error("missing key 'redis' (the shared_state block turns sharing on; remove it to keep each instance"
                    + " to itself)");
            return null;
        }
        return redis == null ? null : new SharedStateConfig(redis, node.value(KEY_PREFIX), node.value(SHARED_TIMEOUT),
                node.value(LEASE_TIME), node.value(AUTH_WHEN_AWAY));
    }

    private static SpoolConfig spool(ConfigNode node) {
        node.allowOnly(SPOOL);
        long memory = node.value(MEMORY_LIMIT);
        if (memory > Integer.MAX_VALUE) {
            node.child("memory_limit").error("memory_limit must be below 2GB");
            memory = MEMORY_LIMIT.fallback();
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        Path directory = node.value(DIRECTORY);
        if (directory != null) {
            directory = node.resolve(directory);
            checkSpoolDirectory(node.child("directory"), directory, "");
        } else if (node.get("directory").isEmpty()) {
            directory = temp;
            checkSpoolDirectory(node, directory, " (the default, java.io.tmpdir; set spool.directory)");
        }
        return new SpoolConfig((int) memory, directory == null ? temp : directory, node.value(MEMORY_BUDGET),
                node.value(DISK_BUDGET));
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
