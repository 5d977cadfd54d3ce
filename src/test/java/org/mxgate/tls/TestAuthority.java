package org.mxgate.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time: key pairs, CA and leaf certificates with the names a
 * test asks for, and PEM files in the forms admins bring. Uses the JDK's providers only, as the
 * code under test does.
 */
final class TestAuthority {

    /** A certificate and the key pair it certifies. */
    record Issued(X509Certificate certificate, KeyPair keys) {
        PrivateKey key() {
            return keys.getPrivate();
        }
    }

    private TestAuthority() {
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static Issued root(String cn) throws Exception {
        return issue(null, cn, true, rsa(), Duration.ofDays(30));
    }

    static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    static GeneralName ip(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    /** A certificate for {@code keys}, signed by {@code issuer} or by itself when issuer is null. */
    static Issued issue(Issued issuer, String cn, boolean ca, KeyPair keys, Duration validity, GeneralName... names)
            throws Exception {
        X500Name subject = new X500Name("CN=" + cn);
        X500Name issuerName = issuer == null ? subject : X500Name.getInstance(
                issuer.certificate().getSubjectX500Principal().getEncoded());
        PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.key();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                new BigInteger(64, new SecureRandom()).setBit(63), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(validity)), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, ca ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        if (names.length > 0) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        String algorithm = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
        return new Issued(certificate, keys);
    }

    static Issued leaf(Issued issuer, String cn, GeneralName... names) throws Exception {
        return issue(issuer, cn, false, rsa(), Duration.ofDays(30), names);
    }

    /** The objects in PEM as Bouncy Castle writes them: PKCS#1 for RSA keys, SEC1 for EC keys. */
    static String pem(Object... objects) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        }
        return out.toString();
    }

    /** The key as "PRIVATE KEY" (PKCS#8). */
    static String pkcs8(PrivateKey key) throws IOException {
        return pem(new JcaPKCS8Generator(key, null));
    }

    /** Writes beside the target and renames over it, as an admin's {@code mv} or certbot does. */
    static void replace(Path target, String content) throws IOException {
        Path temporary = Files.createTempFile(target.toAbsolutePath().getParent(), "replace", ".tmp");
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
            writer.write(content);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
