package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backend TLS against a real Postfix (OpenSSL): with {@code tls: required} and the backend's
 * certificate as {@code tls_trust}, mxgate's JDK client does STARTTLS with Postfix, verifies
 * the certificate for the configured address, and the message is stored with Postfix's own
 * record of the TLS session in its Received header.
 */
@Tag("interop")
class PostfixTlsInteropIT {

    @TempDir
    Path certs;

    @Test
    void requiredTlsToPostfixDeliversOverTls() throws Exception {
        assumeTrue(InteropTools.postfixMissing() == null, InteropTools.postfixMissing());
        TestTls.Pair pair = TestTls.selfSigned(certs, "127.0.0.1");
        Path mail = Files.createTempDirectory("mxgate-maildir-");
        try (PostfixInstance postfix = PostfixInstance.mailbox("tlsbackend", mail, Map.of(
                     "smtpd_tls_security_level", "may",
                     "smtpd_tls_cert_file", pair.certificate().toString(),
                     "smtpd_tls_key_file", pair.key().toString(),
                     "smtpd_tls_received_header", "yes",
                     "smtpd_tls_loglevel", "1"));
             TestGateway gateway = TestGateway.withMailboxPool("""
                     tls: required
                     tls_trust: %s
                     servers:
                       - { name: b1, address: 127.0.0.1:%d }
                     """.formatted(pair.certificate(), postfix.port()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.sendMessage("sender@client.test", List.of("user@example.test"),
                    "Subject: over tls\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(reply.startsWith("250 2.0.0"), reply + "\n" + postfix.maillog());
            Path inbox = mail.resolve("inbox/new");
            String stored = postfix.onlyMessage(inbox, Duration.ofSeconds(30));
            assertTrue(stored.matches("(?s).*\\(using TLSv1\\.[23] with cipher .*by mx.test.invalid \\(mxgate internet\\).*"),
                    "Postfix's Received header records TLS:\n" + stored);
            assertTrue(postfix.maillog().contains("TLS connection established from"), postfix.maillog());
            assertEquals(1, PostfixInstance.messagesIn(inbox));
        } finally {
            try (Stream<Path> files = Files.walk(mail)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
