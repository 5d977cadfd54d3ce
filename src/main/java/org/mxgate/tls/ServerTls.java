package org.mxgate.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.mxgate.config.FileStamp;
import org.mxgate.config.FileWatch;
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

    private final Path certificate;
    private final Path key;
    private final TlsLibrary library;
    /** The pair as served; a change is read at once, and again at each check until it reads whole. */
    private final FileWatch fileWatch;
    private final AtomicReference<ServerCertificate> current = new AtomicReference<>();
    // Guarded by reload(), which is synchronized.
    private Map<Path, FileStamp> lastFailure;

    private ServerTls(Path certificate, Path key, TlsLibrary library) throws TlsException {
        this.certificate = certificate;
        this.key = key;
        this.library = library;
        // Stamped before reading, so a file that changes while it is read is read again.
        this.fileWatch = new FileWatch(List.of(certificate, key), 0);
        current.set(ServerCertificate.load(certificate, key, library));
    }

    public static ServerTls open(TlsConfig config, String hostname, TlsLibrary library) throws TlsException {
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
        ServerTls tls = new ServerTls(certificate, key, library);
        tls.current.get().warnIfExpiring(certificate, Instant.now());
        return tls;
    }

    /** A handler for one connection; with {@code startTls} the first write (the 220) leaves in plaintext. */
    public SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
        return new SslHandler(current.get().context().newEngine(alloc), startTls);
    }

    /** The leaf certificate served now. */
    public X509Certificate certificate() {
        return current.get().leaf();
    }

    /** True when the files had changed and the new pair is now served; false when unchanged or unusable. */
    public synchronized boolean reload() {
        Optional<Map<Path, FileStamp>> changed = fileWatch.changed();
        if (changed.isEmpty()) {
            return false;
        }
        Map<Path, FileStamp> stamps = changed.get();
        try {
            ServerCertificate served = ServerCertificate.load(certificate, key, library);
            current.set(served);
            fileWatch.took(stamps);
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
                        current.get().subject());
            }
            return false;
        }
    }

    /** Calls {@link #reload()} every {@code interval} on one daemon thread, until {@link #close()}. */
    public void watch(Duration interval) {
        fileWatch.start("mxgate-cert-watch", interval, this::reloadOrLog);
    }

    @Override
    public void close() {
        fileWatch.close();
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
