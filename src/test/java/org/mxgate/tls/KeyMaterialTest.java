package org.mxgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mxgate.tls.TestAuthority.dns;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.util.encoders.Hex;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every key form admins bring, the chain order, and the refusals an admin must be able to act on. */
class KeyMaterialTest {

    private static TestAuthority.Issued ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void authority() throws Exception {
        ca = TestAuthority.root("Test CA");
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private KeyMaterial readWithKey(TestAuthority.Issued leaf, String keyPem) throws Exception {
        return KeyMaterial.read(file("cert.pem", TestAuthority.pem(leaf.certificate())), file("key.pem", keyPem));
    }

    @Test
    void pkcs8Rsa() throws Exception {
        TestAuthority.Issued leaf = TestAuthority.leaf(ca, "mx.test", dns("mx.test"));
        String pem = TestAuthority.pkcs8(leaf.key());
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"), pem);
        KeyMaterial material = readWithKey(leaf, pem);
        assertEquals(leaf.certificate(), material.leaf());
        assertEquals(leaf.key(), material.key());
    }

    @Test
    void pkcs1Rsa() throws Exception {
        TestAuthority.Issued leaf = TestAuthority.leaf(ca, "mx.test");
        String pem = TestAuthority.pem(leaf.key());
        assertTrue(pem.startsWith("-----BEGIN RSA PRIVATE KEY-----"), pem);
        assertEquals(leaf.key(), readWithKey(leaf, pem).key());
    }

    @Test
    void sec1Ec() throws Exception {
        TestAuthority.Issued leaf = TestAuthority.issue(ca, "mx.test", false, TestAuthority.ec(), Duration.ofDays(9));
        String pem = TestAuthority.pem(sec1(leaf, true));
        assertTrue(pem.startsWith("-----BEGIN EC PRIVATE KEY-----"), pem);
        KeyMaterial material = readWithKey(leaf, pem);
        assertEquals("EC", material.key().getAlgorithm());
        assertEquals(((ECPrivateKey) leaf.key()).getS(), ((ECPrivateKey) material.key()).getS());
    }

    @Test
    void sec1EcAfterAnEcParametersBlock() throws Exception {
        // As openssl ecparam -genkey writes it: the curve OID first, then the key.
        TestAuthority.Issued leaf = TestAuthority.issue(ca, "mx.test", false, TestAuthority.ec(), Duration.ofDays(9));
        String pem = TestAuthority.pem(curveBlock(leaf), sec1(leaf, true));
        assertTrue(pem.startsWith("-----BEGIN EC PARAMETERS-----"), pem);
        assertEquals(((ECPrivateKey) leaf.key()).getS(), ((ECPrivateKey) readWithKey(leaf, pem).key()).getS());
    }

    @Test
    void sec1EcThatLeavesTheCurveToTheParametersBlock() throws Exception {
        TestAuthority.Issued leaf = TestAuthority.issue(ca, "mx.test", false, TestAuthority.ec(), Duration.ofDays(9));
        String keyOnly = TestAuthority.pem(sec1(leaf, false));
        TlsException e = assertThrows(TlsException.class, () -> readWithKey(leaf, keyOnly));
        assertTrue(e.getMessage().contains("no EC PARAMETERS block"), e.getMessage());
        String pem = TestAuthority.pem(curveBlock(leaf)) + keyOnly;
        assertEquals(((ECPrivateKey) leaf.key()).getS(), ((ECPrivateKey) readWithKey(leaf, pem).key()).getS());
    }

    private static ASN1Encodable curve(TestAuthority.Issued leaf) {
        return PrivateKeyInfo.getInstance(leaf.key().getEncoded()).getPrivateKeyAlgorithm().getParameters();
    }

    private static PemObject curveBlock(TestAuthority.Issued leaf) throws Exception {
        return new PemObject("EC PARAMETERS", curve(leaf).toASN1Primitive().getEncoded());
    }

    /** RFC 5915 ECPrivateKey as openssl writes it (curve inside), or without the curve. */
    private static PemObject sec1(TestAuthority.Issued leaf, boolean withCurve) throws Exception {
        BigInteger s = ((ECPrivateKey) leaf.key()).getS();
        org.bouncycastle.asn1.sec.ECPrivateKey key = withCurve
                ? new org.bouncycastle.asn1.sec.ECPrivateKey(256, s, curve(leaf))
                : new org.bouncycastle.asn1.sec.ECPrivateKey(256, s);
        return new PemObject("EC PRIVATE KEY", key.getEncoded());
    }

    @Test
    void pkcs8Ec() throws Exception {
        TestAuthority.Issued leaf = TestAuthority.issue(ca, "mx.test", false, TestAuthority.ec(), Duration.ofDays(9));
        assertEquals(leaf.key(), readWithKey(leaf, TestAuthority.pkcs8(leaf.key())).key());
    }

    @Test
    void pkcs8Ed25519() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        TestAuthority.Issued leaf = TestAuthority.issue(ca, "mx.test", false, keys, Duration.ofDays(9));
        assertEquals(leaf.key(), readWithKey(leaf, TestAuthority.pkcs8(leaf.key())).key());
    }

    @Test
    void chainKeepsTheLeafFirstAndOtherBlocksAreSkipped() throws Exception {
        TestAuthority.Issued intermediate = TestAuthority.issue(ca, "Intermediate", true, TestAuthority.rsa(),
                Duration.ofDays(20));
        TestAuthority.Issued leaf = TestAuthority.leaf(intermediate, "mx.test");
        // A combined file, as some tools write: chain and key together in both files.
        String combined = TestAuthority.pem(leaf.certificate(), intermediate.certificate()) + TestAuthority.pkcs8(leaf.key());
        KeyMaterial material = KeyMaterial.read(file("chain.pem", combined), file("key.pem", combined));
        assertEquals(List.of(leaf.certificate(), intermediate.certificate()), material.chain());
    }

    @Test
    void chainInTheWrongOrderIsRefusedWithTheReason() throws Exception {
        TestAuthority.Issued intermediate = TestAuthority.issue(ca, "Intermediate", true, TestAuthority.rsa(),
                Duration.ofDays(20));
        TestAuthority.Issued leaf = TestAuthority.leaf(intermediate, "mx.test");
        Path chain = file("chain.pem", TestAuthority.pem(intermediate.certificate(), leaf.certificate()));
        Path key = file("key.pem", TestAuthority.pkcs8(leaf.key()));
        TlsException e = assertThrows(TlsException.class, () -> KeyMaterial.read(chain, key));
        assertTrue(e.getMessage().contains("certificate #2") && e.getMessage().contains("must come first"),
                e.getMessage());
    }

    @Test
    void keyOfAnotherCertificateIsRefusedNamingTheKeyFile() throws Exception {
        TestAuthority.Issued leaf = TestAuthority.leaf(ca, "mx.test");
        TestAuthority.Issued other = TestAuthority.leaf(ca, "other.test");
        TlsException e = assertThrows(TlsException.class, () -> readWithKey(leaf, TestAuthority.pkcs8(other.key())));
        assertTrue(e.getMessage().startsWith(dir.resolve("key.pem") + ": this private key does not belong to the"
                + " certificate in " + dir.resolve("cert.pem")), e.getMessage());
    }

    @Test
    void keyOfAnotherAlgorithmIsRefused() throws Exception {
        TestAuthority.Issued leaf = TestAuthority.leaf(ca, "mx.test");
        String ecKey = TestAuthority.pkcs8(TestAuthority.ec().getPrivate());
        TlsException e = assertThrows(TlsException.class, () -> readWithKey(leaf, ecKey));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void encryptedPkcs8IsRefused() throws Exception {
        TestAuthority.Issued leaf = TestAuthority.leaf(ca, "mx.test");
        // RFC 5958 3 with PBES2 (RFC 8018), as openssl pkcs8 -topk8 writes it; the JDK does the encryption.
        String algorithm = "PBEWithHmacSHA256AndAES_256";
        SecretKey password = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec("secret".toCharArray()));
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.ENCRYPT_MODE, password, new PBEParameterSpec(new byte[16], 10_000,
                new IvParameterSpec(new byte[16])));
        EncryptedPrivateKeyInfo encrypted = new EncryptedPrivateKeyInfo(new AlgorithmIdentifier(
                PKCSObjectIdentifiers.id_PBES2, ASN1Primitive.fromByteArray(cipher.getParameters().getEncoded())),
                cipher.doFinal(leaf.key().getEncoded()));
        String pem = TestAuthority.pem(new PemObject("ENCRYPTED PRIVATE KEY", encrypted.getEncoded()));
        assertTrue(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), pem);
        TlsException e = assertThrows(TlsException.class, () -> readWithKey(leaf, pem));
        assertTrue(e.getMessage().startsWith(dir.resolve("key.pem") + ": encrypted private keys are not supported;"
                + " store it unencrypted with chmod 600"), e.getMessage());
    }

    @Test
    void legacyEncryptedPkcs1IsRefused() throws Exception {
        TestAuthority.Issued leaf = TestAuthority.leaf(ca, "mx.test");
        // RFC 1421 headers with OpenSSL's key derivation (EVP_BytesToKey: MD5 of password and salt).
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(iv);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update("secret".getBytes(StandardCharsets.US_ASCII));
        md5.update(iv, 0, 8);
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(md5.digest(), "AES"), new IvParameterSpec(iv));
        byte[] pkcs1 = PrivateKeyInfo.getInstance(leaf.key().getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
        String pem = TestAuthority.pem(new PemObject("RSA PRIVATE KEY", List.of(new PemHeader("Proc-Type", "4,ENCRYPTED"),
                new PemHeader("DEK-Info", "AES-128-CBC," + Hex.toHexString(iv).toUpperCase())), cipher.doFinal(pkcs1)));
        assertTrue(pem.contains("Proc-Type: 4,ENCRYPTED"), pem);
        TlsException e = assertThrows(TlsException.class, () -> readWithKey(leaf, pem));
        assertTrue(e.getMessage().contains("encrypted private keys are not supported"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty          | ''                                                         | empty file",
        "text           | 'just some text\n'                                          | no PEM block",
        "bad base64     | '-----BEGIN PRIVATE KEY-----\n%%%%\n-----END PRIVATE KEY-----\n' | not a readable PEM file",
        "no end line    | '-----BEGIN PRIVATE KEY-----\nAAAA\n'                       | not a readable PEM file",
        "bad DER        | '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' | the PRIVATE KEY block is damaged",
        "only a cert    | CERT                                                       | no private key found",
    })
    void unusableKeyFilesAreRefusedWithTheFileAndReason(String what, String content, String reason) throws Exception {
        TestAuthority.Issued leaf = TestAuthority.leaf(ca, "mx.test");
        String text = content.equals("CERT") ? TestAuthority.pem(leaf.certificate()) : content.replace("\\n", "\n");
        TlsException e = assertThrows(TlsException.class, () -> readWithKey(leaf, text));
        assertTrue(e.getMessage().startsWith(dir.resolve("key.pem") + ": " + reason), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty          | ''                   | empty file",
        "text           | 'hello\n'            | no PEM block",
        "only a key     | KEY                  | no CERTIFICATE block found",
        "bad DER        | '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' | certificate #1 is damaged",
    })
    void unusableCertificateFilesAreRefusedWithTheFileAndReason(String what, String content, String reason)
            throws Exception {
        TestAuthority.Issued leaf = TestAuthority.leaf(ca, "mx.test");
        String text = content.equals("KEY") ? TestAuthority.pkcs8(leaf.key()) : content.replace("\\n", "\n");
        Path certificate = file("cert.pem", text);
        Path key = file("key.pem", TestAuthority.pkcs8(leaf.key()));
        TlsException e = assertThrows(TlsException.class, () -> KeyMaterial.read(certificate, key));
        assertTrue(e.getMessage().startsWith(certificate + ": " + reason), e.getMessage());
    }

    @Test
    void binaryGarbageIsRefused() throws Exception {
        TestAuthority.Issued leaf = TestAuthority.leaf(ca, "mx.test");
        Path certificate = file("cert.pem", TestAuthority.pem(leaf.certificate()));
        Path key = Files.write(dir.resolve("key.der"), leaf.key().getEncoded());
        TlsException e = assertThrows(TlsException.class, () -> KeyMaterial.read(certificate, key));
        assertTrue(e.getMessage().startsWith(key + ": no PEM block"), e.getMessage());
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        TestAuthority.Issued leaf = TestAuthority.leaf(ca, "mx.test");
        Path certificate = file("cert.pem", TestAuthority.pem(leaf.certificate()));
        Path key = dir.resolve("absent.key");
        TlsException e = assertThrows(TlsException.class, () -> KeyMaterial.read(certificate, key));
        assertEquals(key + ": no such file; expected a PEM private key (-----BEGIN PRIVATE KEY-----)", e.getMessage());
        TlsException noCert = assertThrows(TlsException.class,
                () -> KeyMaterial.read(dir.resolve("absent.pem"), certificate));
        assertTrue(noCert.getMessage().startsWith(dir.resolve("absent.pem") + ": no such file"), noCert.getMessage());
    }
}
