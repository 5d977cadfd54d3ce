package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mxgate.auth.PasswordHash;

/**
 * Real Postfix as an authenticating client, the usual smart-host set-up: its relayhost is
 * mxgate's submission listener, with {@code smtp_tls_security_level = encrypt} and a SASL
 * password (Cyrus SASL, OpenSSL). Messages to a foreign domain arrive at the backend, sent
 * over TLS after AUTH, and Postfix logs them as sent.
 */
@Tag("interop")
class PostfixSubmissionInteropIT {

    private static final int MESSAGES = 20;
    private static final String PASSWORD = "relay-app-secret";

    @Test
    void postfixLogsInOverStartTlsAndRelays() throws Exception {
        assumeTrue(InteropTools.postfixMissing() == null, InteropTools.postfixMissing());
        assumeTrue(InteropTools.missing("smtp-source") == null, InteropTools.missing("smtp-source"));
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/sasl2/libplain.so"))
                        || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/sasl2/libplain.so")),
                "Postfix's SASL client needs the PLAIN module (Debian libsasl2-modules)");
        String users = "relay-app: { password: \"" + PasswordHash.create(PASSWORD.toCharArray(), 4)
                + "\", senders: [\"@interop.test\"] }\n";
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith(Submission.config(backend.port(), "starttls", ""),
                     Map.of("submission", Submission.POLICY, "users", users));
             PostfixInstance postfix = PostfixInstance.start("smarthost", Map.of(
                     "relayhost", "[127.0.0.1]:" + gateway.gateway().port("submission"),
                     "smtp_tls_security_level", "encrypt",
                     "smtp_sasl_auth_enable", "yes",
                     "smtp_sasl_password_maps", "inline:{ [127.0.0.1]:" + gateway.gateway().port("submission")
                             + "=relay-app:" + PASSWORD + " }",
                     "smtp_sasl_security_options", "noanonymous",
                     "smtp_sasl_tls_security_options", "noanonymous",
                     "smtp_tls_loglevel", "1"))) {
            InteropTools.Output source = InteropTools.run(Duration.ofSeconds(60), "smtp-source",
                    "-m", Integer.toString(MESSAGES), "-s", "2", "-N", "-l", "1024",
                    "-f", "app@interop.test", "-t", "someone@elsewhere.test", "127.0.0.1:" + postfix.port());
            assertEquals(0, source.exitCode(), source.text());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertTrue(backend.messages().size() >= MESSAGES,
                    () -> "delivered " + backend.messages().size() + " of " + MESSAGES + "\n" + postfix.maillog()));
            assertEquals(MESSAGES, postfix.logLines("status=sent"), postfix.maillog());
            assertTrue(postfix.maillog().contains("TLS connection established to 127.0.0.1"), postfix.maillog());
            List<RecordingBackend.Message> messages = backend.messages();
            assertEquals(MESSAGES, messages.size());
            String first = new String(messages.get(0).bytes(), StandardCharsets.UTF_8);
            assertTrue(first.contains("with ESMTPSA id"), first);
        }
    }
}
