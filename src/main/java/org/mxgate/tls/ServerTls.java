package org.mxgate.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * The listeners' certificates and keys (one pair, or an RSA and an ECDSA pair), replaced without a
 * restart: {@link #reload()} reads the files again when any of them changed and swaps the new
 * context in only if every pair is whole, so a half-written or mismatched replacement never takes
 * the old certificates down. Never reads files on an event loop; {@link #watch(Duration)} does it
 * on its own thread.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final TlsConfig config;
    private final TlsLibrary library;
    /** The files as served; a change is read at once, and again at each check until all read whole. */
    private final FileWatch fileWatch;
    private final AtomicReference<ServerCertificate> current = new AtomicReference<>();
    // Guarded by reload(), which is synchronized.
    private Map<Path, FileStamp> lastFailure;

    private ServerTls(TlsConfig config, TlsLibrary library) throws TlsException {
        this.config = config;
        this.library = library;
        List<Path> files = new ArrayList<>(List.of(config.certificate(), config.key()));
        if (config.hasEcdsa()) {
            files.addAll(List.of(config.ecdsa().certificate(), config.ecdsa().key()));
        }
        // Stamped before reading, so a file that changes while it is read is read again.
        this.fileWatch = new FileWatch(files, 0);
        current.set(ServerCertificate.load(config, library));
    }

    public static ServerTls open(TlsConfig config, String hostname, TlsLibrary library) throws TlsException {
        createIfNeither(config.certificate(), config.key(), hostname, false);
        if (config.hasEcdsa()) {
            createIfNeither(config.ecdsa().certificate(), config.ecdsa().key(), hostname, true);
        }
        ServerTls tls = new ServerTls(config, library);
        tls.current.get().warnIfExpiring(config, Instant.now());
        return tls;
    }

    // Both files missing: a new install, given a self-signed pair. One of them missing: a mistake.
    private static void createIfNeither(Path certificate, Path key, String hostname, boolean ecdsa)
            throws TlsException {
        boolean noCertificate = Files.notExists(certificate);
        boolean noKey = Files.notExists(key);
        if (noCertificate && noKey) {
            if (ecdsa) {
                SelfSignedPair.createEcdsa(hostname, certificate, key);
            } else {
                SelfSignedPair.create(hostname, certificate, key);
            }
            LOG.warn("Generated a self-signed {}TLS certificate for {} in {} and {}; clients that verify certificates"
                    + " will refuse it: replace both files with a certificate from your CA (docs/operations.md,"
                    + " \"TLS certificates\")", ecdsa ? "ECDSA " : "", hostname, certificate, key);
        } else if (noCertificate || noKey) {
            Path missing = noCertificate ? certificate : key;
            throw new TlsException(missing + ": no such file, while " + (noCertificate ? key : certificate)
                    + " exists; give both the certificate and the key, or remove both to have a self-signed pair"
                    + " generated");
        }
    }

    /** A handler for one connection; with {@code startTls} the first write (the 220) leaves in plaintext. */
    public SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
        return new SslHandler(current.get().context().newEngine(alloc), startTls);
    }

    /** The leaf certificate of the primary pair served now. */
    public X509Certificate certificate() {
        return current.get().leaf();
    }

    /** The leaf certificate of the ECDSA pair served now, or null when there is none. */
    public X509Certificate ecdsaCertificate() {
        KeyMaterial ecdsa = current.get().pairs().ecdsa();
        return ecdsa == null ? null : ecdsa.leaf();
    }

    /** The kinds of certificate served, for the start-up log: "RSA", or "RSA and ECDSA". */
    public String kinds() {
        return current.get().pairs().kinds();
    }

    /** True when the files had changed and the new pair is now served; false when unchanged or unusable. */
    public synchronized boolean reload() {
        Optional<Map<Path, FileStamp>> changed = fileWatch.changed();
        if (changed.isEmpty()) {
            return false;
        }
        Map<Path, FileStamp> stamps = changed.get();
        try {
            ServerCertificate served = ServerCertificate.load(config, library);
            current.set(served);
            fileWatch.took(stamps);
            lastFailure = null;
            logReloaded(config.certificate(), served.pairs().primary());
            if (config.hasEcdsa()) {
                logReloaded(config.ecdsa().certificate(), served.pairs().ecdsa());
            }
            served.warnIfExpiring(config, Instant.now());
            return true;
        } catch (TlsException e) {
            // Once per state of the files: a watcher polling a broken file must not flood the log.
            if (!stamps.equals(lastFailure)) {
                lastFailure = stamps;
                LOG.warn("{}; still serving the previous certificate ({})", e.getMessage(),
                        ServerCertificate.subject(current.get().leaf()));
            }
            return false;
        }
    }

    private static void logReloaded(Path certificate, KeyMaterial pair) {
        LOG.info("TLS certificate reloaded from {}: subject {}, expires {}", certificate,
                ServerCertificate.subject(pair.leaf()), pair.leaf().getNotAfter().toInstant());
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
            LOG.warn("Checking {} for a new TLS certificate failed; trying again at the next interval",
                    config.certificate(), e);
        }
    }
}
