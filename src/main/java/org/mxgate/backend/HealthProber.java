package org.mxgate.backend;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mxgate.config.HealthCheckConfig;

/**
 * Active health checks of one pool: each backend is probed on the interval, as deep as the
 * pool says (connect and greeting; and EHLO; and MAIL FROM:&lt;probe sender&gt;, RSET, QUIT,
 * never DATA), and any 4xx, 5xx, drop or timeout counts as a failure. Probes run on the I/O
 * threads and never block them.
 * <p>
 * A probe leaves from every local address the pool's mail leaves from (the listeners'
 * {@code source_address}, else the pool's): Exchange picks a receive connector, and with it
 * the back pressure a sender meets, by the remote address, so a probe from elsewhere would
 * judge another connector than the mail meets (SourceAddressIT). Health stays one state per
 * backend: a round passes only when the probe passes from every address, because a backend
 * that refuses one listener's mail would fail part of the traffic it is given.
 * <p>
 * A reload that changes the pool's servers or checks stops this prober and starts another
 * over the new list (BackendPool#reconfigure); the backends keep their health.
 */
final class HealthProber {

    private final HealthCheckConfig config;
    private final BackendClient client;
    private final List<Backend> backends;
    private final InetAddress poolSource;
    // Where the pool's mail leaves from; null stands for the system's choice, as in BackendClient.
    private final Set<InetAddress> sources;
    private final ProxyHeader proxyHeader;
    private volatile boolean stopped;

    /**
     * @param poolSource the pool's own {@code source_address}, or null: where probes go from until mail is known to leave from elsewhere
     * @param sources the pool's, which it fills as it learns where its mail leaves from; read at each round
     * @param proxyHeader {@link ProxyHeader#LOCAL} when the pool's mail connections start with a PROXY v2 header,
     *                    so the backend expects one on every connection; else null
     */
    HealthProber(HealthCheckConfig config, BackendClient client, List<Backend> backends, InetAddress poolSource,
                 Set<InetAddress> sources, ProxyHeader proxyHeader) {
        this.config = config;
        this.client = client;
        this.backends = backends;
        this.poolSource = poolSource;
        this.sources = sources;
        this.proxyHeader = proxyHeader;
    }

    /** @param probeNow backends probed at once rather than after one interval: those a reload added, down until probed */
    void start(EventLoopGroup loops, Set<Backend> probeNow) {
        for (Backend backend : backends) {
            schedule(backend, loops, probeNow.contains(backend) ? 0 : config.interval().toMillis());
        }
    }

    void stop() {
        stopped = true;
    }

    private void schedule(Backend backend, EventLoopGroup loops, long delayMillis) {
        if (stopped) {
            return;
        }
        EventLoop loop = loops.next();
        loop.schedule(() -> {
            if (stopped) {
                return;
            }
            long started = System.nanoTime();
            round(backend, loop).whenComplete((problem, error) -> {
                String what = problem == null ? config.probe().name().toLowerCase() + " probe passed" : "probe" + problem;
                backend.probed(problem == null, what, java.time.Duration.ofNanos(System.nanoTime() - started));
                backend.report(problem == null, what);
                schedule(backend, loops, config.interval().toMillis());
            });
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** One probe from each source address at once; null when all passed, otherwise the first problem and where from. */
    private CompletableFuture<String> round(Backend backend, EventLoop loop) {
        List<InetAddress> from = sources.isEmpty() ? java.util.Collections.singletonList(poolSource) : new ArrayList<>(sources);
        List<CompletableFuture<String>> probes = new ArrayList<>();
        for (InetAddress source : from) {
            String where = source == null ? ": " : " from " + source.getHostAddress() + ": ";
            probes.add(probe(backend, loop, source)
                    .handle((failure, error) -> error != null ? where + BackendException.reason(BackendClient.unwrap(error))
                            : failure == null ? null : where + failure));
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> probes.stream().map(CompletableFuture::join).filter(p -> p != null)
                        .findFirst().orElse(null));
    }

    /** Completes with null when the backend passed, otherwise with what went wrong. */
    private CompletableFuture<String> probe(Backend backend, EventLoop loop, InetAddress source) {
        boolean hello = config.probe() != HealthCheckConfig.Probe.CONNECT;
        return client.open(backend, loop, source, proxyHeader, config.timeout(), config.timeout(), hello).thenCompose(session -> {
            if (config.probe() != HealthCheckConfig.Probe.MAIL_FROM) {
                session.quit();
                return CompletableFuture.completedFuture(null);
            }
            return session.send("MAIL FROM:<" + config.sender() + ">", config.timeout()).thenApply(mail -> {
                String problem = mail.code() / 100 == 2 ? null : "MAIL FROM answered " + mail;
                if (problem == null) {
                    backend.probeAnswered("MAIL FROM answered " + mail);
                    session.send("RSET", config.timeout());
                }
                session.quit();
                return problem;
            });
        });
    }
}
