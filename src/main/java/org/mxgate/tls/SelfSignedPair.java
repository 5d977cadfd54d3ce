package org.mxgate.tls;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Writes a fresh self-signed server certificate and its key, so that a new install offers
 * STARTTLS from the first start. Never leaves the key readable by others where the filesystem has
 * POSIX permissions: the file is created rw------- before a byte is written.
 */
public final class SelfSignedPair {

    // CA/Browser Forum baseline requirements 6.3.2: at most 398 days; MTAs reuse the same limit.
    private static final Duration VALIDITY = Duration.ofDays(398);
    // Tolerates a client whose clock is a little behind ours.
    private static final Duration BACKDATE = Duration.ofHours(1);

    private SelfSignedPair() {
    }

    public static void create(String hostname, Path certificate, Path key) throws TlsException {
        create(hostname, certificate, key, false);
    }

    /** The same with an ECDSA P-256 key, for {@code tls.ecdsa_certificate} and {@code tls.ecdsa_key}. */
    public static void createEcdsa(String hostname, Path certificate, Path key) throws TlsException {
        create(hostname, certificate, key, true);
    }

    private static void create(String hostname, Path certificate, Path key, boolean ecdsa) throws TlsException {
        String pem;
        String keyPem;
        try {
            KeyPair pair = ecdsa ? ecdsaKeyPair() : rsaKeyPair();
            pem = toPem(certificate(hostname, pair, ecdsa ? "SHA256withECDSA" : "SHA256withRSA", ecdsa));
            // RFC 5958 2 (PKCS#8): "PRIVATE KEY", the form KeyMaterial reads first.
            keyPem = toPem(new JcaPKCS8Generator(pair.getPrivate(), null));
        } catch (GeneralSecurityException | OperatorCreationException | IOException | IllegalArgumentException e) {
            throw new TlsException("cannot create a self-signed certificate for " + hostname + " (" + e.getMessage()
                    + ")", e);
        }
        write(key, keyPem, "rw-------");
        write(certificate, pem, "rw-r--r--");
    }

    // RSA 2048 with SHA-256 is what every SMTP client in use still accepts.
    private static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    // RFC 8446 4.2.3: P-256 is the curve every TLS 1.3 client must take (ecdsa_secp256r1_sha256).
    private static KeyPair ecdsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String hostname, KeyPair pair, String signature, boolean ecdsa)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
        Instant now = Instant.now();
        // RFC 5280 4.1.2.2: a positive serial of at most 20 octets; 128 random bits make it unique, and
        // the top bit set keeps it positive and non-zero.
        BigInteger serial = new BigInteger(128, new SecureRandom()).setBit(127);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                Date.from(now.minus(BACKDATE)), Date.from(now.minus(BACKDATE).plus(VALIDITY)), name, pair.getPublic());
        // RFC 6125 6.4.4 and RFC 2818 3.1: clients match the subjectAltName and ignore the CN when it is present.
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(subjectName(hostname)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        // RFC 5480 3: an ECDSA key signs and never enciphers; keyEncipherment is for RSA's key transport.
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ecdsa ? KeyUsage.digitalSignature
                : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        // Neither builder nor converter is given a provider: the JDK's do the work, BC is never registered.
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
    }

    private static GeneralName subjectName(String hostname) {
        String bare = hostname.startsWith("[") && hostname.endsWith("]")
                ? hostname.substring(1, hostname.length() - 1) : hostname;
        // RFC 5280 4.2.1.6: an address goes in iPAddress, since a client never matches it against a dNSName.
        if (NetUtil.isValidIpV4Address(bare) || NetUtil.isValidIpV6Address(bare)) {
            return new GeneralName(GeneralName.iPAddress, bare);
        }
        return new GeneralName(GeneralName.dNSName, hostname);
    }

    private static String toPem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    // A temporary file renamed into place: a reader never sees half a file, and the mode is set at creation.
    private static void write(Path target, String content, String mode) throws TlsException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temporary = null;
        try {
            Files.createDirectories(dir);
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                    : new FileAttribute<?>[0];
            temporary = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp", attributes);
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
                writer.write(content);
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new TlsException(target + ": cannot write (" + e + ")", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The write already failed; that error is the one the admin needs.
        }
    }
}
