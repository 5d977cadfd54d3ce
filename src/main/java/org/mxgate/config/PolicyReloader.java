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
 * The policies in force, and their live reload: the whole set of files is read and validated
 * again, then swapped in at once, or refused at once with every {@code file:line: reason} logged
 * while the running policies stay. Listeners, pools, the host name and the DNS list zones need a
 * restart; a reload that changes them applies its policies and says so. Never runs on an event
 * loop: reloads happen on the watcher thread or the caller's (SIGHUP).
 */
public final class PolicyReloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyReloader.class);

    private final Path configFile;
    private final GatewayConfig started;
    private final Function<PolicyConfig, List<ConfigError>> policyCheck;
    private final AtomicReference<Map<String, PolicyConfig>> policies;
    /** Every file the policies were read from, users.yml too; a change applies once it has settled. */
    private final FileWatch fileWatch;

    /** @param policyCheck run over every policy of a reload (the relay self-test); any error refuses it */
    public PolicyReloader(GatewayConfig config, Function<PolicyConfig, List<ConfigError>> policyCheck) {
        this.configFile = config.file();
        this.started = config;
        this.policyCheck = policyCheck;
        this.policies = new AtomicReference<>(config.policies());
        this.fileWatch = new FileWatch(watchedFiles(config), 1);
    }

    /** The policy of this name now in force. */
    public PolicyConfig current(String name) {
        return policies.get().get(name);
    }

    /** Reads and validates every file again; swaps the policies in only when all are valid. */
    public synchronized List<ConfigError> reload() {
        GatewayConfig loaded;
        try {
            loaded = ConfigLoader.reload(configFile, policyCheck, started);
        } catch (ConfigException e) {
            refuse(e.errors());
            return e.errors();
        }
        List<ConfigError> errors = new ArrayList<>();
        Map<String, PolicyConfig> next = policiesOfRunningListeners(loaded, errors);
        if (!errors.isEmpty()) {
            refuse(errors);
            return errors;
        }
        Map<String, PolicyConfig> previous = policies.getAndSet(Map.copyOf(next));
        next.forEach((name, policy) -> {
            if (!policy.equals(previous.get(name))) {
                LOG.info("policy {} reloaded from {}", name, policy.file());
            }
        });
        if (!loaded.listeners().equals(started.listeners()) || !loaded.pools().equals(started.pools())
                || !loaded.hostname().equals(started.hostname()) || !Objects.equals(loaded.dnsbl(), started.dnsbl())
                || loaded.maxConnections() != started.maxConnections()) {
            LOG.warn("{}: listeners, pools, hostname, dnsbl or max_connections changed; those changes take effect at the"
                    + " next restart",
                    configFile);
        }
        fileWatch.took(FileWatch.stamps(watchedFiles(loaded)));
        return List.of();
    }

    /**
     * The loaded policy of each listener the gateway runs; a listener's policy or a pool that
     * only a restart could change is an error instead.
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
            for (String pool : policy.routes().values()) {
                if (!started.pools().containsKey(pool)) {
                    errors.add(new ConfigError(policy.file(), 1, "routes to pool '" + pool
                            + "', which the running gateway does not have; new pools need a restart"));
                }
            }
            next.put(policy.name(), policy);
        }
        return next;
    }

    private static void refuse(List<ConfigError> errors) {
        for (ConfigError error : errors) {
            LOG.error("{}", error);
        }
        LOG.error("policies not reloaded; the running ones stay in force");
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
