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
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mxgate.backend.Backend;

/**
 * PROXY v2 out to a real Postfix ({@code smtpd_upstream_proxy_protocol = haproxy}, the
 * alternative to XCLIENT in docs/operations.md): Postfix logs and stamps the real client, and
 * the pool's health probes, which open connections of their own, pass too: they send the LOCAL
 * command, as HAProxy's checks do, instead of leaving Postfix waiting for a header.
 */
@Tag("interop")
class PostfixProxyV2InteropIT {

    @Test
    void postfixWithUpstreamProxyProtocolSeesTheClientAndPassesTheProbes() throws Exception {
        assumeTrue(InteropTools.postfixMissing() == null, InteropTools.postfixMissing());
        Path work = Files.createTempDirectory("mxgate-proxy-v2-");
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path mail = Files.createDirectories(work.resolve("mail"));
        try (PostfixInstance postfix = PostfixInstance.mailbox("proxyv2", mail,
                     Map.of("smtpd_upstream_proxy_protocol", "haproxy", "smtpd_upstream_proxy_timeout", "5s"));
             TestGateway gateway = TestGateway.startWith("""
                     hostname: mx.test.invalid
                     shutdown_grace: 1s
                     listeners:
                       - { name: internet, listen: 127.0.0.1:0, policy: internet }
                     pools:
                       mailbox:
                         forward_client_ip: proxy_v2
                         health_check: { interval: 300ms, timeout: 2s, probe: mail_from, rise: 1, fall: 1 }
                         servers: [ { name: postfix, address: 127.0.0.1:%d } ]
                     """.formatted(postfix.port()), Map.of("internet", "accept_domains: [example.test]\n"))) {
            Backend backend = gateway.gateway().pool("mailbox").backends().get(0);
            // Three rounds: a probe without a header would wait for a greeting Postfix never sends, and time out.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(
                    postfix.logLines("ehlo=1 mail=1 rset=1 quit=1") >= 3, postfix.maillog()));
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.lastProbe() != null);
            assertTrue(backend.lastProbe().passed(), backend.lastProbe() + "\n" + postfix.maillog());
            assertEquals(Backend.State.UP, backend.state());

            try (SmtpClient client = new SmtpClient(gateway.internet(), "127.0.0.2")) {
                client.hello();
                String reply = client.sendMessage("sender@client.test", List.of("user@example.test"),
                        "Subject: proxy v2\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend postfix "), reply);
            }
            Path inbox = mail.resolve("inbox/new");
            String stored = postfix.onlyMessage(inbox, Duration.ofSeconds(20));
            assertTrue(stored.contains("from client.test (unknown [127.0.0.2])"), "Postfix's Received names the client:\n" + stored);
            assertTrue(postfix.maillog().contains("client=unknown[127.0.0.2]"), postfix.maillog());
            assertTrue(backend.lastProbe().passed(), backend.lastProbe() + "\n" + postfix.maillog());
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
