package org.mxgate.backend;

import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mxgate.config.HealthCheckConfig;

/**
 * Active health checks of one pool: each backend is probed on the interval, as deep as the
 * pool says (connect and greeting; and EHLO; and MAIL FROM:&lt;probe sender&gt;, RSET, QUIT,
 * never DATA), and any 4xx, 5xx, drop or timeout counts as a failure. Probes run on the I/O
 * threads and never block them.
 */
final class HealthProber {

    private final HealthCheckConfig config;
    private final BackendClient client;
    private final List<Backend> backends;
    private volatile boolean stopped;

    HealthProber(HealthCheckConfig config, BackendClient client, List<Backend> backends) {
        this.config = config;
        this.client = client;
        this.backends = backends;
    }

    void start(EventLoopGroup loops) {
        for (Backend backend : backends) {
            schedule(backend, loops);
        }
    }

    void stop() {
        stopped = true;
    }

    private void schedule(Backend backend, EventLoopGroup loops) {
        if (stopped) {
            return;
        }
        io.netty.channel.EventLoop loop = loops.next();
        loop.schedule(() -> probe(backend, loop).whenComplete((failure, error) -> {
            String problem = error != null ? BackendClient.unwrap(error).getMessage() : failure;
            backend.report(problem == null, problem == null ? config.probe().name().toLowerCase() + " probe passed"
                    : "probe: " + problem);
            schedule(backend, loops);
        }), config.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes with null when the backend passed, otherwise with what went wrong. */
    private CompletableFuture<String> probe(Backend backend, io.netty.channel.EventLoop loop) {
        boolean hello = config.probe() != HealthCheckConfig.Probe.CONNECT;
        return client.open(backend, loop, null, null, config.timeout(), config.timeout(), hello).thenCompose(session -> {
            if (config.probe() != HealthCheckConfig.Probe.MAIL_FROM) {
                session.quit();
                return CompletableFuture.completedFuture(null);
            }
            return session.send("MAIL FROM:<" + config.sender() + ">", config.timeout()).thenApply(mail -> {
                String problem = mail.code() / 100 == 2 ? null : "MAIL FROM answered " + mail;
                if (problem == null) {
                    session.send("RSET", config.timeout());
                }
                session.quit();
                return problem;
            });
        });
    }
}
