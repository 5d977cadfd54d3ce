package org.mxgate.listener;

import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mxgate.backend.BackendPool;
import org.mxgate.config.GatewayConfig;

/** A running gateway: its listeners, backend pools and event loops, closed together. */
public final class Gateway implements AutoCloseable {

    private final GatewayConfig config;
    private final List<Listener> listeners;
    private final Map<String, BackendPool> pools;
    private final List<EventLoopGroup> groups;

    public Gateway(GatewayConfig config, List<Listener> listeners, Map<String, BackendPool> pools,
                   List<EventLoopGroup> groups) {
        this.config = config;
        this.listeners = List.copyOf(listeners);
        this.pools = Map.copyOf(pools);
        this.groups = List.copyOf(groups);
    }

    public GatewayConfig config() {
        return config;
    }

    public List<Listener> listeners() {
        return listeners;
    }

    public int port(String listenerName) {
        return listeners.stream().filter(l -> l.config().name().equals(listenerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener " + listenerName)).port();
    }

    public BackendPool pool(String name) {
        return pools.get(name);
    }

    @Override
    public void close() {
        listeners.forEach(Listener::close);
        pools.values().forEach(BackendPool::close);
        for (EventLoopGroup group : groups) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
