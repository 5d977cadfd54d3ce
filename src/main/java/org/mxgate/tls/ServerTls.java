package org.mxgate.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.mxgate.config.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners' certificate and key, replaced without a restart: {@link #reload()} reads the files
 * again when they changed and swaps the new context in only if it is whole, so a half-written or
 * mismatched replacement never takes the old certificate down. Never reads files on an event loop;
 * {@link #watch(Duration)} does it on its own thread.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private record Stamps(FileStamp certificate, FileStamp key) {
        static Stamps of(Path certificate, Path key) {
            return new Stamps(FileStamp.of(certificate), FileStamp.of(key));
        }
    }

    private record Loaded(ServerCertificate served, Stamps stamps) {
    }

    private final Path certificate;
    private final Path key;
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private final AtomicReference<ScheduledExecutorService> watcher = new AtomicReference<>();
    // Guarded by reload(), which is synchronized.
    private Stamps lastFailure;

    private ServerTls(Path certificate, Path key, Loaded loaded) {
        this.certificate = certificate;
        this.key = key;
        current.set(loaded);
    }

    public static ServerTls open(TlsConfig config, String hostname) throws TlsException {
        Path certificate = config.certificate();
        Path key = config.key();
        boolean noCertificate = Files.notExists(certificate);
        boolean noKey = Files.notExists(key);
        if (noCertificate && noKey) {
            SelfSignedPair.create(hostname, certificate, key);
            LOG.warn("Generated a self-signed TLS certificate for {} in {} and {}; clients that verify certificates"
                    + " will refuse it: replace both files with a certificate from your CA (docs/operations.md,"
                    + " \"TLS certificates\")", hostname, certificate, key);
        } else if (noCertificate || noKey) {
            Path missing = noCertificate ? certificate : key;
            throw new TlsException(missing + ": no such file, while " + (noCertificate ? key : certificate)
                    + " exists; give both the certificate and the key, or remove both to have a self-signed pair"
                    + " generated");
        }
        Stamps stamps = Stamps.of(certificate, key);
        ServerCertificate served = ServerCertificate.load(certificate, key);
        served.warnIfExpiring(certificate, Instant.now());
        return new ServerTls(certificate, key, new Loaded(served, stamps));
    }

    /** A handler for one connection; with {@code startTls} the first write (the 220) leaves in plaintext. */
    public SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
        return new SslHandler(current.get().served().context().newEngine(alloc), startTls);
    }

    /** The leaf certificate served now. */
    public X509Certificate certificate() {
        return current.get().served().leaf();
    }

    /** True when the files had changed and the new pair is now served; false when unchanged or unusable. */
    public synchronized boolean reload() {
        Stamps stamps = Stamps.of(certificate, key);
        if (stamps.equals(current.get().stamps())) {
            return false;
        }
        try {
            ServerCertificate served = ServerCertificate.load(certificate, key);
            current.set(new Loaded(served, stamps));
            lastFailure = null;
            LOG.info("TLS certificate reloaded from {}: subject {}, expires {}", certificate, served.subject(),
                    served.expires());
            served.warnIfExpiring(certificate, Instant.now());
            return true;
        } catch (TlsException e) {
            // Once per state of the files: a watcher polling a broken file must not flood the log.
            if (!stamps.equals(lastFailure)) {
                lastFailure = stamps;
                LOG.warn("{}; still serving the previous certificate ({})", e.getMessage(),
                        current.get().served().subject());
            }
            return false;
        }
    }

    /** Calls {@link #reload()} every {@code interval} on one daemon thread, until {@link #close()}. */
    public void watch(Duration interval) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "mxgate-cert-watch");
            thread.setDaemon(true);
            return thread;
        });
        if (!watcher.compareAndSet(null, executor)) {
            executor.shutdownNow();
            throw new IllegalStateException("already watching " + certificate);
        }
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(this::reloadOrLog, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ScheduledExecutorService executor = watcher.getAndSet(null);
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    // An exception escaping a scheduled task would cancel every later run.
    private void reloadOrLog() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warn("Checking {} for a new TLS certificate failed; trying again at the next interval", certificate, e);
        }
    }
}
