package org.mxgate.backend;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mxgate.config.ServerConfig;
import org.mxgate.net.HostPort;

/** One backend mail server as a pool knows it. Identity is the object: one per configured server. */
public final class Backend {

    private final String pool;
    private final ServerConfig config;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

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

    /** True the first time it is asked for this key: for warnings an admin needs once, not per message. */
    boolean warnOnce(String key) {
        return warned.add(key);
    }

    @Override
    public String toString() {
        return name() + " (" + address() + ")";
    }
}
