package org.mxgate.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate chain, leaf first, and the private key that belongs to the leaf, read from two PEM
 * files. Never hands out a key that does not match its leaf: a signature made with the key must
 * verify with the leaf's public key.
 */
public record KeyMaterial(List<X509Certificate> chain, PrivateKey key) {

    public KeyMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain holds at least the leaf");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public static KeyMaterial read(Path certificate, Path key) throws TlsException {
        List<X509Certificate> chain = CertificateFile.read(certificate);
        PrivateKey privateKey = PrivateKeyFile.read(key);
        String algorithm = signatureAlgorithm(key, privateKey);
        if (!belongsTo(algorithm, privateKey, chain.get(0).getPublicKey())) {
            throw new TlsException(key + ": this private key does not belong to the certificate in " + certificate
                    + " (" + chain.get(0).getSubjectX500Principal().getName() + ")" + whereItBelongs(algorithm,
                    privateKey, chain));
        }
        return new KeyMaterial(chain, privateKey);
    }

    private static String signatureAlgorithm(Path file, PrivateKey key) throws TlsException {
        switch (key.getAlgorithm()) {
            case "RSA":
                return "SHA256withRSA";
            case "EC":
            case "ECDSA":
                return "SHA256withECDSA";
            // The JDK names Ed25519 and Ed448 keys "EdDSA"; that signature takes its curve from the key.
            case "EdDSA":
            case "Ed25519":
            case "Ed448":
                return key.getAlgorithm();
            default:
                throw new TlsException(file + ": " + key.getAlgorithm() + " keys are not supported; use an RSA,"
                        + " ECDSA or Ed25519 key");
        }
    }

    private static boolean belongsTo(String algorithm, PrivateKey key, PublicKey candidate) {
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(candidate);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A key of another algorithm than the certificate's cannot even start to verify: no match.
            return false;
        }
    }

    // A chain pasted in the wrong order is a common mistake; name it rather than only "no match".
    private static String whereItBelongs(String algorithm, PrivateKey key, List<X509Certificate> chain) {
        for (int i = 1; i < chain.size(); i++) {
            if (belongsTo(algorithm, key, chain.get(i).getPublicKey())) {
                return "; it belongs to certificate #" + (i + 1) + " of that file, and the server's own certificate"
                        + " must come first, then its intermediates";
            }
        }
        return "";
    }
}
