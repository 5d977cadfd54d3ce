package org.mxgate.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.mxgate.backend.Backend;
import org.mxgate.backend.BackendPool;
import org.mxgate.mail.SpoolBudget;

/**
 * The gateway's meters, in one Micrometer registry that {@link #scrape} renders as Prometheus
 * text, and the last hour of traffic for the status page ({@link #history}). Created once at
 * start and handed to the code where things happen; each part resolves its counters once
 * ({@link #listener}, {@link #backend}, {@link #dnsblZone}), so counting on an I/O thread is an
 * increment. Gauges (backend states, transactions in flight, spool bytes, open sessions) read the
 * state the gateway acts on when scraped, never a copy kept in step. Label values are names from
 * the config and fixed sets only, never client data. Thread-safe. Every metric, with its labels,
 * is listed in docs/operations.md, "Metrics".
 */
public final class GatewayMetrics {

    /**
     * The content type the HTTP side must send with {@link #scrape}'s text: the Prometheus text
     * exposition format, version 0.0.4, which every Prometheus server reads.
     */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** A backend's states, as the {@code state} label of {@code mxgate_backend_state}; one is 1, the others 0. */
    public static final List<String> BACKEND_STATES = java.util.Arrays.stream(Backend.State.values())
            .map(state -> state.name().toLowerCase(Locale.ROOT)).toList();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TrafficHistory history;
    private final Map<String, ListenerMeters> listeners = new ConcurrentHashMap<>();
    private final Map<String, Map<String, BackendMeters>> backends = new ConcurrentHashMap<>();
    private final Map<String, ZoneMeters> zones = new ConcurrentHashMap<>();
    private final MultiGauge backendStates;
    private final MultiGauge backendTransactions;
    private volatile Supplier<? extends Collection<BackendPool>> pools = List::of;
    private volatile LongSupplier sharedFallbacks;

    /** With the system's clock for the traffic history. */
    public GatewayMetrics() {
        this(System::currentTimeMillis);
    }

    /** @param millis the wall clock of the traffic history: {@code System::currentTimeMillis}, or a test's own */
    public GatewayMetrics(LongSupplier millis) {
        this.history = new TrafficHistory(millis);
        this.backendStates = MultiGauge.builder("mxgate.backend.state")
                .description("The backend's state: 1 for the one it is in, 0 for the others").register(registry);
        this.backendTransactions = MultiGauge.builder("mxgate.backend.transactions")
                .description("Transactions open on the backend now").register(registry);
    }

    /** A listener's meters; call once per listener and keep them. */
    public ListenerMeters listener(String name) {
        return listeners.computeIfAbsent(name, n -> new ListenerMeters(n, registry, history));
    }

    /**
     * A backend's meters, by the names of its pool and itself. Two lookups that neither lock nor
     * allocate once the backend has had its first transaction; names, not objects, are the key,
     * so a pool reload that builds new backends keeps their counts.
     */
    public BackendMeters backend(String pool, String backend) {
        Map<String, BackendMeters> ofPool = backends.get(pool);
        BackendMeters meters = ofPool == null ? null : ofPool.get(backend);
        if (meters != null) {
            return meters;
        }
        return backends.computeIfAbsent(pool, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(backend, b -> new BackendMeters(pool, b, registry, history));
    }

    /** A DNS list zone's meters; call once per zone and keep them. */
    public ZoneMeters dnsblZone(String zone) {
        return zones.computeIfAbsent(zone, z -> new ZoneMeters(z, registry));
    }

    /** Gauges of the bytes message bodies hold now, in memory and in spool files, and of their budgets. */
    public void watchSpool(SpoolBudget budget) {
        Gauge.builder("mxgate.spool.bytes", budget, SpoolBudget::memoryInUse).tag("store", "memory")
                .description("Bytes of message bodies kept now").strongReference(true).register(registry);
        Gauge.builder("mxgate.spool.bytes", budget, SpoolBudget::diskInUse).tag("store", "disk")
                .description("Bytes of message bodies kept now").strongReference(true).register(registry);
        Gauge.builder("mxgate.spool.budget.bytes", budget, SpoolBudget::memoryBudget).tag("store", "memory")
                .description("What message bodies may hold at once").strongReference(true).register(registry);
        Gauge.builder("mxgate.spool.budget.bytes", budget, SpoolBudget::diskBudget).tag("store", "disk")
                .description("What message bodies may hold at once").strongReference(true).register(registry);
    }

    /**
     * The pools whose backends the state and in-flight gauges show, asked again at each scrape so
     * that backends a reload adds or removes appear or go.
     */
    public void watchPools(Supplier<? extends Collection<BackendPool>> pools) {
        this.pools = pools;
    }

    /**
     * Gauges of the shared state on Redis: 1 while it answers, 0 while this instance counts
     * alone, and how many answers were given from this instance's own counts because it was away
     * or slower than {@code shared_state.timeout}.
     */
    public void watchSharedState(java.util.function.BooleanSupplier connected, LongSupplier fallbacks) {
        // A function counter holds what it reads weakly: this field keeps it.
        this.sharedFallbacks = fallbacks;
        Gauge.builder("mxgate.shared.state.connected", connected, c -> c.getAsBoolean() ? 1 : 0)
                .description("1 while the shared Redis answers, 0 while limits count on this instance alone")
                .strongReference(true).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("mxgate.shared.state.fallbacks", fallbacks,
                        LongSupplier::getAsLong)
                .description("Answers given from this instance's own counts because Redis was away or slow")
                .register(registry);
    }

    /** Prometheus text of every meter, to be served with {@link #CONTENT_TYPE}. */
    public synchronized String scrape() {
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        List<MultiGauge.Row<?>> transactions = new ArrayList<>();
        for (BackendPool pool : pools.get()) {
            for (Backend backend : pool.backends()) {
                // Every configured backend has its relay series from the start, at zero.
                backend(pool.config().name(), backend.name());
                Tags tags = Tags.of("pool", pool.config().name(), "backend", backend.name());
                for (Backend.State state : Backend.State.values()) {
                    states.add(MultiGauge.Row.of(tags.and("state", state.name().toLowerCase(Locale.ROOT)), backend,
                            b -> b.state() == state ? 1 : 0));
                }
                transactions.add(MultiGauge.Row.of(tags, backend, Backend::transactions));
            }
        }
        backendStates.register(states, true);
        backendTransactions.register(transactions, true);
        return registry.scrape();
    }

    /** Messages per minute per backend, and per listener accepted and refused, over the last hour. */
    public TrafficHistory history() {
        return history;
    }

    /** The registry itself, for reading one meter (tests) or adding JVM meters. */
    public MeterRegistry registry() {
        return registry;
    }
}
