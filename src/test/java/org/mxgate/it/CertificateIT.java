package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates in certs/: the first start with none creates a working self-signed pair for the
 * configured hostname; a pair replaced while the gateway runs is served to the next connections
 * without a restart.
 */
class CertificateIT {

    @TempDir
    Path elsewhere;

    @Test
    void firstStartCreatesASelfSignedPairAndAReplacementIsPickedUp() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith(Submission.config(backend.port(), "starttls", ""),
                     Map.of("submission", Submission.POLICY))) {
            Path certs = gateway.configFile().getParent().resolveSibling("certs");
            Path certificate = certs.resolve("mxgate.crt");
            Path key = certs.resolve("mxgate.key");
            assertTrue(Files.isRegularFile(certificate) && Files.isRegularFile(key), "pair created in " + certs);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));

            X509Certificate first = served(gateway);
            assertTrue(first.getSubjectX500Principal().getName().contains("CN=mx.test.invalid"),
                    first.getSubjectX500Principal().getName());

            // The admin installs a new pair: written elsewhere, moved into place.
            TestTls.Pair replacement = TestTls.selfSigned(elsewhere, "mail.replaced.test");
            Files.move(replacement.key(), key, StandardCopyOption.REPLACE_EXISTING);
            Files.move(replacement.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
            X509Certificate now = await("the replaced certificate served").atMost(Duration.ofSeconds(5))
                    .until(() -> served(gateway), served -> !served.equals(first));
            assertTrue(now.getSubjectX500Principal().getName().contains("CN=mail.replaced.test"),
                    now.getSubjectX500Principal().getName());
        }
    }

    /** The certificate a new STARTTLS connection is given. */
    private static X509Certificate served(TestGateway gateway) throws Exception {
        try (SmtpClient c = new SmtpClient(gateway.gateway().port("submission"))) {
            c.hello();
            assertEquals("220 2.0.0 Ready to start TLS", c.startTls());
            return (X509Certificate) c.tlsSession().getPeerCertificates()[0];
        }
    }
}
