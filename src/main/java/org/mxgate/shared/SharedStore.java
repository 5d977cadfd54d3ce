package org.mxgate.shared;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mxgate.config.SharedStateConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection of this instance to the Redis it shares with the others (shared_state in
 * conf/mxgate.yml), and what it knows of that connection: connected, or away since when. Every
 * call returns at once with a future, never blocks, and fails at once while Redis is away
 * (Lettuce rejects commands on a closed connection instead of queueing them), so no caller
 * waits on an outage; {@link #bounded} caps what a client session waits for an answer. Lettuce
 * reconnects by itself; a first connection that fails is retried here. A heartbeat every third
 * of {@code lease_time} keeps this instance alive in Redis (its concurrency slots count only
 * while it is), and its first success after an outage runs the {@link #onReconnect} hooks, which
 * tell Redis again what it may have lost.
 */
public final class SharedStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedStore.class);

    /** A command not answered within this is given up (a session waits far less: {@code timeout}). */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    /** Between connection attempts while Redis is away: growing from the first to the last. */
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration LAST_RETRY = Duration.ofSeconds(2);

    /** Between heartbeats while Redis is away. */
    static final Duration AWAY_BEAT = Duration.ofMillis(250);

    private final SharedStateConfig config;
    private final String instance;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final Scripts scripts;
    private final Presence presence;
    private final Map<String, Consumer<String>> channels = new ConcurrentHashMap<>();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile Supplier<InstanceView> view;

    private SharedStore(SharedStateConfig config, String instance) {
        this.config = config;
        this.instance = instance;
        this.uri = RedisURI.create(config.redis());
        this.uri.setTimeout(COMMAND_TIMEOUT);
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(FIRST_RETRY, LAST_RETRY, 2, TimeUnit.MILLISECONDS)).build();
        this.client = RedisClient.create(resources);
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While disconnected a command fails at once; queued it would be stale by the time it went out.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(10_000)
                .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        this.scripts = new Scripts();
        this.presence = new Presence(config.redisForLog(), instance);
        this.view = () -> new InstanceView(instance, 0, List.of());
    }

    /**
     * Starts connecting and returns at once: until Redis answers, the store is away and every
     * instance counts for itself.
     *
     * @param instance this instance's name in Redis: whose slots are whose
     */
    public static SharedStore open(SharedStateConfig config, String instance) {
        SharedStore store = new SharedStore(config, instance);
        store.client.addListener(store.new ConnectionWatch());
        store.connect(FIRST_RETRY);
        store.nextBeat(Duration.ZERO);
        return store;
    }

    /**
     * A name for this process in Redis, different from every other's: its instance_id (what the
     * status page shows), a dot, then the process id and a few random bytes, so two instances
     * given the same instance_id by mistake still hold their slots apart (and are told of it).
     */
    public static String newInstanceName(String instanceId) {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return instanceId + "." + Long.toString(ProcessHandle.current().pid(), 36) + "-" + HexFormat.of().formatHex(random);
    }

    /** What this instance tells the others with each heartbeat; until this is called it tells an empty view. */
    public void describeWith(Supplier<InstanceView> view) {
        this.view = view;
    }

    public String instance() {
        return instance;
    }

    public SharedStateConfig config() {
        return config;
    }

    /** Key and channel names, with the configured prefix. */
    String key(String name) {
        return config.keyPrefix() + name;
    }

    /** Whether Redis answers now; false from the first failed heartbeat or lost connection until one succeeds again. */
    public boolean isConnected() {
        return presence.isConnected();
    }

    /** Since when Redis is away, or null while it answers. */
    public Instant awaySince() {
        return presence.awaySince();
    }

    /**
     * The status page's banner while Redis is away ("shared state: Redis away since 2026-11-27
     * 10:42:07 UTC, limits per instance") or while another live instance has this one's
     * instance_id; null otherwise.
     */
    public String notice() {
        return presence.notice();
    }

    /** The instances alive in Redis at the last heartbeat, this one included, each with what it sees. */
    public Peers peers() {
        return presence.peers();
    }

    /** Answers given from this instance's own counts because Redis was away or slow. */
    public long fallbacks() {
        return fallbacks.get();
    }

    void fellBack() {
        fallbacks.incrementAndGet();
    }

    /** Run after each (re)connection, and now if connected: whatever Redis lost in an outage is told again. */
    void onReconnect(Runnable hook) {
        presence.onReconnect(hook);
    }

    /** Messages on this channel (without the prefix) go to {@code listener}, on a Lettuce thread. */
    void subscribe(String channel, Consumer<String> listener) {
        channels.put(key(channel), listener);
        StatefulRedisPubSubConnection<String, String> sub = pubsub;
        if (sub != null) {
            sub.async().subscribe(key(channel));
        }
    }

    /** A script's answer, or a failed future at once while Redis is away. */
    CompletableFuture<Object> eval(Scripts.Script script, String[] keys, String... args) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen() || closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is away"));
        }
        RedisAsyncCommands<String, String> commands = c.async();
        CompletableFuture<Object> answer = new CompletableFuture<>();
        commands.<Object>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args).whenComplete((result, error) -> {
            if (error == null) {
                answer.complete(result);
            } else if (unwrap(error) instanceof RedisNoScriptException) {
                // A restarted Redis lost its script cache: the script itself loads it again.
                commands.<Object>eval(script.source(), ScriptOutputType.MULTI, keys, args)
                        .whenComplete((again, failed) -> {
                            if (failed == null) {
                                answer.complete(again);
                            } else {
                                answer.completeExceptionally(failed);
                            }
                        });
            } else {
                answer.completeExceptionally(error);
            }
        });
        return answer;
    }

    /** Any other command; a failed future at once while Redis is away. */
    <T> CompletableFuture<T> run(java.util.function.Function<RedisAsyncCommands<String, String>, CompletableFuture<T>> command) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen() || closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is away"));
        }
        return command.apply(c.async());
    }

    /**
     * The answer a client session waits for, read by {@code read}, within {@code timeout}; null
     * when it did not come in time, failed, or could not be read (a Redis that answers what no
     * script returns is not believed), and the caller then answers from its own counts. Completes
     * on a Lettuce or timer thread: the caller goes back to its event loop.
     */
    <T, R> CompletableFuture<R> bounded(CompletableFuture<T> answer, java.util.function.Function<T, R> read) {
        return answer.thenApply(read).exceptionally(error -> null)
                .completeOnTimeout(null, config.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    Scripts scripts() {
        return scripts;
    }

    private void connect(Duration retry) {
        if (closed.get()) {
            return;
        }
        client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture()
                .thenCompose(c -> {
                    connection = c;
                    return client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture();
                })
                .whenComplete((sub, error) -> {
                    if (error != null) {
                        LOG.debug("shared state: cannot connect to {}: {}", config.redisForLog(), unwrap(error).toString());
                        StatefulRedisConnection<String, String> half = connection;
                        connection = null;
                        if (half != null) {
                            half.closeAsync();
                        }
                        Duration next = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
                        client.getResources().eventExecutorGroup().schedule(() -> connect(next), retry.toMillis(),
                                TimeUnit.MILLISECONDS);
                        return;
                    }
                    sub.addListener(new RedisPubSubAdapter<>() {
                        @Override
                        public void message(String channel, String message) {
                            Consumer<String> listener = channels.get(channel);
                            if (listener != null) {
                                listener.accept(message);
                            }
                        }
                    });
                    pubsub = sub;
                    if (!channels.isEmpty()) {
                        sub.async().subscribe(channels.keySet().toArray(String[]::new));
                    }
                    if (closed.get()) {
                        closeConnections();
                    }
                });
    }

    /**
     * The next heartbeat: a third of lease_time after the last one while Redis answers, so two
     * may be lost before the lease ends; every {@link #AWAY_BEAT} while it is away, so sharing
     * resumes soon after Redis is back. One chain: each beat schedules the next.
     */
    private synchronized void nextBeat(Duration delay) {
        if (!closed.get()) {
            heartbeat = client.getResources().eventExecutorGroup().schedule(this::beat, delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** A heartbeat now instead of at its time, unless one is running (it schedules the next itself). */
    private synchronized void beatNow() {
        ScheduledFuture<?> pending = heartbeat;
        if (pending != null && pending.cancel(false)) {
            nextBeat(Duration.ZERO);
        }
    }

    /** Marks this instance alive until now + lease_time, on Redis's clock, with what it sees, and reads who else is. */
    private void beat() {
        List<String> args = new ArrayList<>();
        args.add(instance);
        args.add(String.valueOf(config.leaseTime().toMillis()));
        try {
            args.addAll(view.get().fields());
        } catch (RuntimeException e) {
            // The view is for people; the lease must be renewed whatever went wrong reading it.
            LOG.debug("shared state: cannot describe this instance: {}", e.toString());
        }
        eval(scripts.heartbeat, new String[] {key("instances"), key("views")}, args.toArray(String[]::new))
                .thenApply(SharedStore::views)
                .whenComplete((alive, error) -> {
                    try {
                        if (error != null) {
                            presence.away(unwrap(error).toString());
                        } else if (!closed.get()) {
                            presence.answered(alive);
                        }
                    } finally {
                        // Whatever happened, the chain goes on.
                        Duration lease = config.leaseTime().dividedBy(3);
                        nextBeat(presence.isConnected() ? lease : AWAY_BEAT.compareTo(lease) < 0 ? AWAY_BEAT : lease);
                    }
                });
    }

    private final class ConnectionWatch implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> handler, java.net.SocketAddress address) {
            // Lettuce has reconnected: a heartbeat now ends the outage without waiting for the next one.
            if (handler == connection && !closed.get()) {
                client.getResources().eventExecutorGroup().schedule(SharedStore.this::beatNow, 20,
                        TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            if (handler == connection && !closed.get()) {
                presence.away("connection lost");
            }
        }
    }

    /** The heartbeat script's answer, sorted by name; an entry that does not read as written is left out. */
    private static List<InstanceView> views(Object answer) {
        List<InstanceView> views = new ArrayList<>();
        for (Object entry : (List<?>) answer) {
            if (entry instanceof List<?> pair && pair.size() == 2 && pair.get(1) instanceof List<?> fields) {
                views.add(InstanceView.read(String.valueOf(pair.get(0)), fields));
            }
        }
        views.sort(Comparator.comparing(InstanceView::name));
        return views;
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private void closeConnections() {
        StatefulRedisConnection<String, String> c = connection;
        StatefulRedisPubSubConnection<String, String> sub = pubsub;
        if (sub != null) {
            sub.closeAsync();
        }
        if (c != null) {
            c.closeAsync();
        }
    }

    /** Not on an event loop: waits for Lettuce's threads to end. What this instance held in Redis expires with its lease. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> beat = heartbeat;
        if (beat != null) {
            beat.cancel(false);
        }
        StatefulRedisConnection<String, String> c = connection;
        if (c != null && c.isOpen()) {
            // Leaving now: the others stop counting this instance's slots at once, not when its lease ends.
            CompletableFuture.allOf(c.async().zrem(key("instances"), instance).toCompletableFuture(),
                            c.async().hdel(key("views"), instance).toCompletableFuture())
                    .handle((done, error) -> 0L)
                    .completeOnTimeout(0L, COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        }
        presence.close();
        // Closes the connections too.
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
