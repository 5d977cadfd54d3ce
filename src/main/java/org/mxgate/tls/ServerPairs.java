package org.mxgate.tls;

import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.mxgate.config.TlsConfig;

/**
 * The listeners' pairs as read from their files: the primary one and, when configured, the ECDSA
 * one served beside it. Never returns two pairs of one kind: with an ECDSA pair the primary must
 * be RSA (Postfix's smtpd_tls_cert_file beside smtpd_tls_eccert_file), and the ECDSA pair must be
 * ECDSA; each refusal names the config line that asked for the second pair.
 *
 * @param ecdsa the second pair, or null when {@code tls.ecdsa_certificate} is not set
 */
public record ServerPairs(KeyMaterial primary, KeyMaterial ecdsa) {

    public static ServerPairs read(TlsConfig config) throws TlsException {
        return new ServerPairs(readPrimary(config), config.hasEcdsa() ? readEcdsa(config) : null);
    }

    /** {@code tls.certificate} and {@code tls.key}; RSA when an ECDSA pair is configured beside them. */
    public static KeyMaterial readPrimary(TlsConfig config) throws TlsException {
        KeyMaterial primary = KeyMaterial.read(config.certificate(), config.key());
        if (config.hasEcdsa() && !kind(primary.key()).equals("RSA")) {
            throw new TlsException(config.ecdsa().where() + ": tls.ecdsa_certificate is set, so tls.certificate must"
                    + " be the RSA pair, but " + config.certificate() + " holds an " + kind(primary.key())
                    + " certificate; two pairs cannot be of one kind: put the RSA pair in certificate and key, or"
                    + " remove ecdsa_certificate and ecdsa_key to serve this one alone");
        }
        return primary;
    }

    /** {@code tls.ecdsa_certificate} and {@code tls.ecdsa_key}, which must hold an ECDSA pair. */
    public static KeyMaterial readEcdsa(TlsConfig config) throws TlsException {
        TlsConfig.EcdsaPair second = config.ecdsa();
        KeyMaterial ecdsa = KeyMaterial.read(second.certificate(), second.key());
        if (!kind(ecdsa.key()).equals("ECDSA")) {
            throw new TlsException(second.where() + ": tls.ecdsa_key " + second.key() + " is an " + kind(ecdsa.key())
                    + " key; ecdsa_certificate and ecdsa_key take an ECDSA pair (docs/operations.md, \"TLS"
                    + " certificates\"), the RSA pair goes in certificate and key");
        }
        return ecdsa;
    }

    /** The pairs in the order a server context offers them, primary first. */
    public List<KeyMaterial> all() {
        List<KeyMaterial> pairs = new ArrayList<>(List.of(primary));
        if (ecdsa != null) {
            pairs.add(ecdsa);
        }
        return pairs;
    }

    /** What the listeners serve, for the start-up log: "RSA", or "RSA and ECDSA". */
    public String kinds() {
        return ecdsa == null ? kind(primary.key()) : kind(primary.key()) + " and " + kind(ecdsa.key());
    }

    // The names admins know from TLS cipher suites and Postfix's docs, not the JDK's key algorithms.
    static String kind(PrivateKey key) {
        switch (key.getAlgorithm()) {
            case "EC":
            case "ECDSA":
                return "ECDSA";
            case "EdDSA":
                return "Ed25519";
            default:
                return key.getAlgorithm();
        }
    }
}
