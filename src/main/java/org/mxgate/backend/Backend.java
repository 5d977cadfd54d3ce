package org.mxgate.backend;

import org.mxgate.config.ServerConfig;
import org.mxgate.net.HostPort;

/** One backend mail server as a pool knows it. Identity is the object: one per configured server. */
public final class Backend {

    private final String pool;
    private final ServerConfig config;

    public Backend(String pool, ServerConfig config) {
        this.pool = pool;
        this.config = config;
    }

    public String pool() {
        return pool;
    }

    public String name() {
        return config.name();
    }

    public HostPort address() {
        return config.address();
    }

    public int weight() {
        return config.weight();
    }

    @Override
    public String toString() {
        return name() + " (" + address() + ")";
    }
}
