package org.mxgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.mxgate.mail.InstanceId;

/**
 * The whole validated configuration: conf/mxgate.yml and the policy files it names.
 *
 * @param shutdownGrace how long a stopping gateway lets transactions in progress finish
 * @param dnsbl the DNS list zones, or null when none are configured
 * @param tls the listeners' certificate and key files (read only when a listener uses TLS)
 * @param authLimits brute-force limits and hashing threads for SMTP AUTH
 * @param maxConnections client sessions the whole process holds at once, over every listener; 0 is no limit
 * @param admin the admin listener, or null when it is off (no {@code admin:} block)
 * @param instanceId this instance's name in queue ids, session ids and log lines: {@code instance_id}, or derived
 * @param shared the Redis shared with other instances, or null when each instance counts alone (no {@code shared_state:})
 */
public record GatewayConfig(Path file, String hostname, List<ListenerConfig> listeners,
                            Map<String, PoolConfig> pools, Map<String, PolicyConfig> policies,
                            SpoolConfig spool, Duration shutdownGrace, DnsblConfig dnsbl, TlsConfig tls,
                            AuthLimitsConfig authLimits, int maxConnections, AdminConfig admin,
                            InstanceId instanceId, SharedStateConfig shared) {

    /** The default of {@code max_connections}: well below the file descriptors a service is usually given. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    /** Without the admin listener, and with an instance id derived as for a host named localhost. */
    public GatewayConfig(Path file, String hostname, List<ListenerConfig> listeners, Map<String, PoolConfig> pools,
                         Map<String, PolicyConfig> policies, SpoolConfig spool, Duration shutdownGrace, DnsblConfig dnsbl,
                         TlsConfig tls, AuthLimitsConfig authLimits, int maxConnections) {
        this(file, hostname, listeners, pools, policies, spool, shutdownGrace, dnsbl, tls, authLimits, maxConnections, null);
    }

    /** Without shared state, and with the instance id derived as for a host named localhost. */
    public GatewayConfig(Path file, String hostname, List<ListenerConfig> listeners, Map<String, PoolConfig> pools,
                         Map<String, PolicyConfig> policies, SpoolConfig spool, Duration shutdownGrace, DnsblConfig dnsbl,
                         TlsConfig tls, AuthLimitsConfig authLimits, int maxConnections, AdminConfig admin) {
        this(file, hostname, listeners, pools, policies, spool, shutdownGrace, dnsbl, tls, authLimits, maxConnections, admin,
                InstanceId.derive("localhost", file.toString(), listeners.stream().map(l -> l.listen().toString()).toList()),
                null);
    }

    public GatewayConfig {
        listeners = List.copyOf(listeners);
        // In the file's order, for the logs and the status page.
        pools = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pools));
        policies = Map.copyOf(policies);
    }

    /** Whether some listener speaks TLS, so the certificate is needed. */
    public boolean usesServerTls() {
        return listeners.stream().anyMatch(l -> l.tls() != ListenerConfig.Tls.NONE);
    }

    public PolicyConfig policyOf(ListenerConfig listener) {
        return policies.get(listener.policy());
    }
}
