package org.mxgate.config;

import java.net.InetAddress;
import org.mxgate.net.HostPort;

/**
 * One {@code listeners:} entry: where to listen, which policy file governs it, which balancers
 * send PROXY headers, and the local address its mail leaves for the backends from.
 *
 * @param sourceAddress the local IP backend connections for this listener's sessions come from, or null
 */
public record ListenerConfig(String name, HostPort listen, String policy, ProxyProtocolConfig proxyProtocol,
                             InetAddress sourceAddress) {
}
