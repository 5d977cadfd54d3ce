package org.mxgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies in force, and the live reload of the configuration: the whole set of files is
 * read and validated again, the backend pools made ready ({@link PoolReload}), then policies and
 * pools are swapped in at once, or refused at once with every {@code file:line: reason} logged
 * while the running ones stay. Listeners, the host name and the other keys of
 * {@link #restartNeeded} need a restart; a reload that changes them applies the rest and says
 * so. Never runs on an event loop: reloads happen on the watcher thread or the caller's (SIGHUP,
 * the admin endpoint), one at a time.
 */
public final class PolicyReloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyReloader.class);

    private final Path configFile;
    private final GatewayConfig started;
    private final Function<PolicyConfig, List<ConfigError>> policyCheck;
    private final PoolReload pools;
    private final AtomicReference<Map<String, PolicyConfig>> policies;
    /** Every file the policies were read from, users.yml too; a change applies once it has settled. */
    private final FileWatch fileWatch;

    /** For policies alone: the pools of a reload are validated and left as they run. */
    public PolicyReloader(GatewayConfig config, Function<PolicyConfig, List<ConfigError>> policyCheck) {
        this(config, policyCheck, loaded -> List::of);
    }

    /**
     * @param policyCheck run over every policy of a reload (the relay self-test); any error refuses it
     * @param pools the running backend pools, reconfigured with each reload that is applied
     */
    public PolicyReloader(GatewayConfig config, Function<PolicyConfig, List<ConfigError>> policyCheck, PoolReload pools) {
        this.configFile = config.file();
        this.started = config;
        this.policyCheck = policyCheck;
        this.pools = pools;
        this.policies = new AtomicReference<>(config.policies());
        this.fileWatch = new FileWatch(watchedFiles(config), 1);
    }

    /** The policy of this name now in force. */
    public PolicyConfig current(String name) {
        return policies.get().get(name);
    }

    /**
     * Reads and validates every file again; swaps the policies and pools in only when all are
     * valid. Refused: the errors, and nothing changed. Applied: what changed, and what waits for a restart.
     */
    public synchronized ReloadResult reload() {
        try {
            GatewayConfig loaded = ConfigLoader.reload(configFile, policyCheck, started);
            List<ConfigError> errors = new ArrayList<>();
            Map<String, PolicyConfig> next = policiesOfRunningListeners(loaded, errors);
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            PoolReload.Prepared readyPools = pools.prepare(loaded);
            // Pools first: a reloaded policy may route to a pool this reload adds.
            List<String> notes = new ArrayList<>(readyPools.apply());
            notes.addAll(swapIn(next));
            List<String> restart = restartNeeded(loaded);
            if (!restart.isEmpty()) {
                LOG.warn("{}: {} changed; the running ones stay until a restart", configFile, String.join(", ", restart));
                restart.forEach(key -> notes.add(key + " changed: needs a restart"));
            }
            fileWatch.took(FileWatch.stamps(watchedFiles(loaded)));
            return new ReloadResult(List.of(), notes);
        } catch (ConfigException e) {
            refuse(e.errors());
            return ReloadResult.refused(e.errors());
        }
    }

    /** Puts the policies in force; one note for each that changed. */
    private List<String> swapIn(Map<String, PolicyConfig> next) {
        Map<String, PolicyConfig> previous = policies.getAndSet(Map.copyOf(next));
        List<String> notes = new ArrayList<>();
        next.forEach((name, policy) -> {
            if (!policy.equals(previous.get(name))) {
                LOG.info("policy {} reloaded from {}", name, policy.file());
                notes.add("policy " + name + " reloaded");
            }
        });
        return notes;
    }

    /**
     * The top-level keys of {@code loaded} that differ from what the gateway started with and that
     * only a restart applies: the sockets, names and process-wide resources built at start.
     */
    private List<String> restartNeeded(GatewayConfig loaded) {
        List<String> keys = new ArrayList<>();
        addIfChanged(keys, "hostname", loaded.hostname(), started.hostname());
        addIfChanged(keys, "listeners", loaded.listeners(), started.listeners());
        addIfChanged(keys, "dnsbl", loaded.dnsbl(), started.dnsbl());
        addIfChanged(keys, "max_connections", loaded.maxConnections(), started.maxConnections());
        addIfChanged(keys, "shutdown_grace", loaded.shutdownGrace(), started.shutdownGrace());
        addIfChanged(keys, "spool", loaded.spool(), started.spool());
        addIfChanged(keys, "tls", loaded.tls(), started.tls());
        addIfChanged(keys, "auth", loaded.authLimits(), started.authLimits());
        // Every id already given ends in the old one; ids of one run end in one.
        addIfChanged(keys, "instance_id", loaded.instanceId(), started.instanceId());
        return keys;
    }

    private static void addIfChanged(List<String> keys, String key, Object loaded, Object running) {
        if (!Objects.equals(loaded, running)) {
            keys.add(key);
        }
    }

    /**
     * The loaded policy of each listener the gateway runs; a listener's policy that only a
     * restart could change is an error instead. Routes were checked against the loaded pools
     * (PolicyFileReader), so a policy still routing to a removed pool refuses the reload.
     */
    private Map<String, PolicyConfig> policiesOfRunningListeners(GatewayConfig loaded, List<ConfigError> errors) {
        Map<String, PolicyConfig> next = new LinkedHashMap<>();
        for (ListenerConfig listener : started.listeners()) {
            PolicyConfig policy = loaded.policies().get(listener.policy());
            if (policy == null) {
                errors.add(new ConfigError(configFile, 1, "listener '" + listener.name() + "' runs with policy '"
                        + listener.policy() + "'; changing a listener's policy needs a restart"));
                continue;
            }
            next.put(policy.name(), policy);
        }
        return next;
    }

    private static void refuse(List<ConfigError> errors) {
        for (ConfigError error : errors) {
            LOG.error("{}", error);
        }
        LOG.error("policies not reloaded, pools left as they run: the running configuration stays in force");
    }

    /**
     * Checks the files every {@code interval} and reloads once a change has stayed the same for
     * one more check, so a file caught half-written is read again when the writer is done. A
     * refused set is not read again until the files change once more.
     */
    public void watch(Duration interval) {
        fileWatch.start("mxgate-policy-watch", interval, this::check);
    }

    private synchronized void check() {
        try {
            fileWatch.changed().ifPresent(stamps -> {
                fileWatch.took(stamps);
                reload();
            });
        } catch (RuntimeException e) {
            LOG.error("policy watch failed", e);
        }
    }

    private Set<Path> watchedFiles(GatewayConfig config) {
        Set<Path> files = new TreeSet<>();
        files.add(configFile);
        config.policies().values().forEach(p -> {
            files.add(p.file());
            // Watched even while missing, so a users file created later is read.
            if (p.auth().users().file() != null) {
                files.add(p.auth().users().file());
            }
        });
        return files;
    }

    @Override
    public void close() {
        fileWatch.close();
    }
}
