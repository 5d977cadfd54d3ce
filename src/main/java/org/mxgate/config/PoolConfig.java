package org.mxgate.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code pools:} entry: its servers, how to balance them and how long to wait for them.
 *
 * @param maxAttempts how many backends one transaction may try
 * @param timeBudget how long one client command may wait across all attempts (below the
 *                   client's own RFC 5321 4.5.3.2 timeouts)
 * @param idleConnections how many idle backend sessions per server and event loop are kept for reuse
 * @param forwardClientIp how backends learn the real client: not at all, by XCLIENT, or by a PROXY v2 header
 * @param sourceAddress the local IP backend connections come from unless the listener sets one, or null
 * @param healthCheck active probes and passive ejection, or null for none
 * @param pressureCooldown how long a backend under back pressure gets no new transactions at
 *                         first; doubled on each repeat up to {@code maxPressureCooldown}, reset on success
 * @param slowStart after coming back up, a server's weight ramps from 10 % to full over this long
 * @param slowMailFrom a MAIL FROM answered slower than this puts the server under back pressure; zero for off
 * @param reserve listener name to the percentage of the pool's capacity (the sum of its servers'
 *                {@code max_transactions}) that other listeners may not use
 * @param tls STARTTLS towards the servers: none, opportunistic or required
 */
public record PoolConfig(String name, Balance balance, int maxAttempts, Duration connectTimeout,
                         Duration commandTimeout, Duration dataTimeout, Duration timeBudget,
                         int idleConnections, Duration idleTimeout, List<ServerConfig> servers,
                         ForwardClientIp forwardClientIp, InetAddress sourceAddress,
                         HealthCheckConfig healthCheck, Duration pressureCooldown, Duration maxPressureCooldown,
                         Duration slowStart, Duration slowMailFrom, Map<String, Integer> reserve,
                         BackendTlsConfig tls) {

    public PoolConfig(String name, Balance balance, int maxAttempts, Duration connectTimeout,
                      Duration commandTimeout, Duration dataTimeout, Duration timeBudget,
                      int idleConnections, Duration idleTimeout, List<ServerConfig> servers,
                      ForwardClientIp forwardClientIp, InetAddress sourceAddress,
                      HealthCheckConfig healthCheck, Duration pressureCooldown, Duration maxPressureCooldown,
                      Duration slowStart, Duration slowMailFrom, Map<String, Integer> reserve) {
        this(name, balance, maxAttempts, connectTimeout, commandTimeout, dataTimeout, timeBudget, idleConnections,
                idleTimeout, servers, forwardClientIp, sourceAddress, healthCheck, pressureCooldown,
                maxPressureCooldown, slowStart, slowMailFrom, reserve, BackendTlsConfig.NONE);
    }

    public PoolConfig {
        servers = List.copyOf(servers);
        reserve = Map.copyOf(reserve);
    }

    public enum Balance { ROUND_ROBIN, WEIGHTED_ROUND_ROBIN, LEAST_CONNECTIONS, PRIORITY }

    public enum ForwardClientIp { NONE, XCLIENT, PROXY_V2 }
}
