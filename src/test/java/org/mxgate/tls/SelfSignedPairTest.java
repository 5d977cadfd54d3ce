package org.mxgate.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated pair: its names, dates and extensions, the key file's mode, and that the two belong together. */
class SelfSignedPairTest {

    // RFC 5280 4.2.1.6 GeneralName tags, as X509Certificate.getSubjectAlternativeNames reports them.
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    @TempDir
    Path dir;

    private X509Certificate create(String hostname) throws Exception {
        Path certificate = dir.resolve("conf/certs/mxgate.pem");
        Path key = dir.resolve("conf/certs/mxgate.key");
        SelfSignedPair.create(hostname, certificate, key);
        return KeyMaterial.read(certificate, key).leaf();
    }

    @Test
    void writesBothFilesInNewDirectoriesAndTheyBelongTogether() throws Exception {
        X509Certificate leaf = create("mx.example.org");
        assertTrue(Files.readString(dir.resolve("conf/certs/mxgate.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(dir.resolve("conf/certs/mxgate.pem")).startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(2048, ((RSAPublicKey) leaf.getPublicKey()).getModulus().bitLength());
        assertEquals("SHA256withRSA", leaf.getSigAlgName());
        // No temporary file is left beside them.
        try (Stream<Path> files = Files.list(dir.resolve("conf/certs"))) {
            assertEquals(List.of("mxgate.key", "mxgate.pem"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void keyFileIsReadableByTheOwnerOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        create("mx.example.org");
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("conf/certs/mxgate.key"))));
        assertTrue(Files.getPosixFilePermissions(dir.resolve("conf/certs/mxgate.pem")).toString().contains("OWNER_READ"));
    }

    @Test
    void namesTheHostInSubjectIssuerAndSubjectAltName() throws Exception {
        X509Certificate leaf = create("mx.example.org");
        assertEquals("CN=mx.example.org", leaf.getSubjectX500Principal().getName());
        assertEquals(leaf.getSubjectX500Principal(), leaf.getIssuerX500Principal());
        assertEquals(List.of(List.of(DNS_NAME, "mx.example.org")), List.copyOf(leaf.getSubjectAlternativeNames()));
        leaf.verify(leaf.getPublicKey());
    }

    @Test
    void anAddressGetsAnIpAddressEntry() throws Exception {
        assertEquals(List.of(List.of(IP_ADDRESS, "192.0.2.25")), List.copyOf(create("192.0.2.25").getSubjectAlternativeNames()));
        List<?> v6 = List.copyOf(create("2001:db8::25").getSubjectAlternativeNames()).get(0);
        assertEquals(IP_ADDRESS, v6.get(0));
        assertEquals("2001:db8:0:0:0:0:0:25", v6.get(1));
    }

    @Test
    void validFor398DaysFromAnHourAgo() throws Exception {
        X509Certificate leaf = create("mx.example.org");
        Instant from = leaf.getNotBefore().toInstant();
        Instant to = leaf.getNotAfter().toInstant();
        assertEquals(Duration.ofDays(398), Duration.between(from, to));
        Duration backdated = Duration.between(from, Instant.now());
        assertTrue(backdated.compareTo(Duration.ofMinutes(59)) > 0 && backdated.compareTo(Duration.ofMinutes(61)) < 0,
                backdated.toString());
        leaf.checkValidity();
    }

    @Test
    void aServerCertificateAndNothingMore() throws Exception {
        X509Certificate leaf = create("mx.example.org");
        assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
        boolean[] usage = leaf.getKeyUsage();
        // RFC 5280 4.2.1.3 bit order: digitalSignature(0), nonRepudiation(1), keyEncipherment(2), ..., keyCertSign(5).
        assertTrue(usage[0] && usage[2]);
        assertFalse(usage[1] || usage[3] || usage[4] || usage[5] || usage[6]);
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage());
        assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.19"), "basicConstraints critical");
        assertEquals(1, leaf.getSerialNumber().signum());
        assertEquals(128, leaf.getSerialNumber().bitLength());
    }

    @Test
    void creatingAgainReplacesBothFilesWithANewPair() throws Exception {
        X509Certificate first = create("mx.example.org");
        X509Certificate second = create("mx.example.org");
        assertNotEquals(first.getSerialNumber(), second.getSerialNumber());
        assertFalse(java.util.Arrays.equals(first.getPublicKey().getEncoded(), second.getPublicKey().getEncoded()));
        assertArrayEquals(second.getEncoded(), KeyMaterial.read(dir.resolve("conf/certs/mxgate.pem"),
                dir.resolve("conf/certs/mxgate.key")).leaf().getEncoded());
    }
}
