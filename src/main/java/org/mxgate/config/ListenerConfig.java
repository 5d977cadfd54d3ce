package org.mxgate.config;

import org.mxgate.net.HostPort;

/** One {@code listeners:} entry: where to listen and which policy file governs it. */
public record ListenerConfig(String name, HostPort listen, String policy) {
}
