package org.mxgate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import org.mxgate.config.ConfigError;
import org.mxgate.config.ConfigException;
import org.mxgate.config.ConfigLoader;
import org.mxgate.config.GatewayConfig;
import org.mxgate.config.PoolConfig;
import org.mxgate.config.TlsConfig;
import org.mxgate.policy.RelaySelfTest;
import org.mxgate.tls.BackendTls;
import org.mxgate.tls.KeyMaterial;
import org.mxgate.tls.ServerPairs;
import org.mxgate.tls.TlsException;
import org.mxgate.tls.TlsLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code mxgate check}: validates the config and its policy files, then the TLS files they name
 * (certificate and key, backend trust files); prints {@code file:line: reason} or the TLS
 * problem, exits 1 on any. Creates nothing: a missing pair is only announced.
 */
@Command(name = "check", description = "Validate the configuration, policy files and TLS files.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        GatewayConfig loaded;
        try {
            loaded = ConfigLoader.load(config.file, RelaySelfTest::run);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println(error);
            }
            return 1;
        }
        boolean ok = checkCertificate(loaded);
        TlsLibrary library;
        try {
            library = TlsLibrary.choose(loaded.tls().library());
        } catch (TlsException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        for (PoolConfig pool : loaded.pools().values()) {
            if (pool.tls().isEnabled()) {
                try {
                    BackendTls.create(pool.tls(), library);
                } catch (TlsException e) {
                    System.err.println("pool " + pool.name() + ": " + e.getMessage());
                    ok = false;
                }
            }
        }
        if (!ok) {
            return 1;
        }
        System.out.printf("%s: ok (%d listeners, %d pools, %d policies)%n", loaded.file(),
                loaded.listeners().size(), loaded.pools().size(), loaded.policies().size());
        return 0;
    }

    private static boolean checkCertificate(GatewayConfig loaded) {
        if (!loaded.usesServerTls()) {
            return true;
        }
        TlsConfig tls = loaded.tls();
        try {
            if (neitherExists(tls.certificate(), tls.key())) {
                System.out.printf("certificate: none yet; the first start makes a self-signed pair for %s in %s%n",
                        loaded.hostname(), tls.certificate().getParent());
            } else {
                print("certificate", ServerPairs.readPrimary(tls));
            }
            if (tls.hasEcdsa() && neitherExists(tls.ecdsa().certificate(), tls.ecdsa().key())) {
                System.out.printf("ECDSA certificate: none yet; the first start makes a self-signed ECDSA pair for %s"
                        + " in %s%n", loaded.hostname(), tls.ecdsa().certificate().getParent());
            } else if (tls.hasEcdsa()) {
                print("ECDSA certificate", ServerPairs.readEcdsa(tls));
            }
            return true;
        } catch (TlsException e) {
            System.err.println(e.getMessage());
            return false;
        }
    }

    private static boolean neitherExists(Path certificate, Path key) {
        return !Files.exists(certificate) && !Files.exists(key);
    }

    private static void print(String what, KeyMaterial pair) {
        X509Certificate leaf = pair.leaf();
        System.out.printf("%s: %s, valid until %s%n", what, leaf.getSubjectX500Principal().getName(),
                leaf.getNotAfter().toInstant());
    }
}
