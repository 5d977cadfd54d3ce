package org.mxgate.config;

import org.mxgate.net.HostPort;

/** One {@code listeners:} entry: where to listen, which policy file governs it, and which balancers send PROXY headers. */
public record ListenerConfig(String name, HostPort listen, String policy, ProxyProtocolConfig proxyProtocol) {
}
