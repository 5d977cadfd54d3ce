package org.mxgate.config;

import org.mxgate.net.HostPort;

/** One backend mail server of a pool. */
public record ServerConfig(String name, HostPort address, int weight) {
}
