package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxgate.Main;
import org.mxgate.tls.SelfSignedPair;

/**
 * An ECDSA pair beside the RSA one, over STARTTLS on a real socket, on each TLS library: a client
 * that accepts only ECDSA gets the ECDSA certificate, one that accepts only RSA gets the RSA one,
 * in TLS 1.2 (chosen by cipher suites) and TLS 1.3 (chosen by signature schemes, in a JVM of its
 * own), and a replaced ECDSA pair reaches new connections without a restart.
 */
@ParameterizedClass
@ValueSource(strings = {"openssl", "jdk"})
class EcdsaCertificateIT {

    private static final List<String> ECDSA_SUITES = List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    private static final List<String> RSA_SUITES = List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

    @Parameter
    String library;

    @TempDir
    Path elsewhere;

    private Submission submission;
    private Path certs;
    private List<String> startLog;

    @BeforeEach
    void start() throws Exception {
        // Neither pair exists yet: the first start makes both, as a new install would.
        try (CapturedLog log = new CapturedLog(Main.class, Level.INFO)) {
            submission = Submission.start("starttls", "tls: { library: " + library + ", ecdsa_certificate:"
                    + " ../certs/mxgate-ec.crt, ecdsa_key: ../certs/mxgate-ec.key }\n");
            startLog = log.lines();
        }
        certs = submission.gateway().configFile().getParent().resolveSibling("certs");
    }

    @AfterEach
    void stop() throws Exception {
        submission.close();
    }

    private X509Certificate rsaFile() throws Exception {
        return read(Files.readAllBytes(certs.resolve("mxgate.crt")));
    }

    private X509Certificate ecdsaFile() throws Exception {
        return read(Files.readAllBytes(certs.resolve("mxgate-ec.crt")));
    }

    @Test
    void startUpSaysWhichKindsAreServed() {
        String line = startLog.stream().filter(l -> l.contains("TLS library: ")).findFirst().orElseThrow();
        assertTrue(line.endsWith("; listeners serve RSA and ECDSA certificates"), line);
        assertTrue(line.contains(library.equals("jdk") ? "TLS library: the JDK's" : "TLS library: BoringSSL"), line);
    }

    @Test
    void tls12ClientsGetTheKindTheirSuitesAllow() throws Exception {
        assertEquals("RSA", rsaFile().getPublicKey().getAlgorithm());
        assertEquals("EC", ecdsaFile().getPublicKey().getAlgorithm());
        assertEquals(ecdsaFile(), served(ECDSA_SUITES));
        assertEquals(rsaFile(), served(RSA_SUITES));
    }

    @Test
    void tls13ClientsGetTheKindTheirSignatureSchemesAllow() throws Exception {
        assertEquals(ecdsaFile(), servedInOwnJvm("ecdsa_secp256r1_sha256"));
        assertEquals(rsaFile(), servedInOwnJvm("rsa_pss_rsae_sha256,rsa_pkcs1_sha256"));
    }

    @Test
    void aReplacedEcdsaPairIsServedToNewConnections() throws Exception {
        X509Certificate rsa = rsaFile();
        X509Certificate first = ecdsaFile();
        assertEquals(first, served(ECDSA_SUITES));
        // The admin installs a new ECDSA pair: written elsewhere, moved into place.
        Path certificate = elsewhere.resolve("new-ec.crt");
        Path key = elsewhere.resolve("new-ec.key");
        SelfSignedPair.createEcdsa("ec.replaced.test", certificate, key);
        Files.move(key, certs.resolve("mxgate-ec.key"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(certificate, certs.resolve("mxgate-ec.crt"), StandardCopyOption.REPLACE_EXISTING);
        X509Certificate now = await("the replaced ECDSA certificate served").atMost(Duration.ofSeconds(5))
                .until(() -> served(ECDSA_SUITES), served -> !served.equals(first));
        assertEquals("CN=ec.replaced.test", now.getSubjectX500Principal().getName());
        assertEquals(rsa, served(RSA_SUITES), "the RSA pair stays as it was");
    }

    /** The leaf a TLS 1.2 client offering only these suites is given. */
    private X509Certificate served(List<String> suites) throws Exception {
        try (SmtpClient c = new SmtpClient(submission.port())) {
            c.hello();
            assertEquals("220 2.0.0 Ready to start TLS", c.startTls(List.of("TLSv1.2"), suites));
            assertEquals("TLSv1.2", c.tlsSession().getProtocol());
            return (X509Certificate) c.tlsSession().getPeerCertificates()[0];
        }
    }

    /**
     * The leaf a TLS 1.3 client offering only these signature schemes is given. The JDK reads the
     * schemes once per JVM, so the client runs in a JVM of its own, never changing this one's.
     */
    private X509Certificate servedInOwnJvm(String signatureSchemes) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.tls.client.SignatureSchemes=" + signatureSchemes, "-cp", System.getProperty("java.class.path"),
                StartTlsProbe.class.getName(), Integer.toString(submission.port()), "TLSv1.3"));
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertTrue(probe.waitFor(30, TimeUnit.SECONDS), "the probe finishes");
        } finally {
            probe.destroyForcibly();
        }
        assertEquals(0, probe.exitValue(), output);
        String[] fields = output.substring(output.lastIndexOf('\n') + 1).split(" ");
        assertEquals("TLSv1.3", fields[0], output);
        return read(Base64.getDecoder().decode(fields[1]));
    }

    private static X509Certificate read(byte[] certificate) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }
}
