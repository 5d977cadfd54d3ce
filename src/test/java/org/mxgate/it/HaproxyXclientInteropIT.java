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

/**
 * The real client address end to end through real software: a client on 127.0.0.2 sends to
 * HAProxy ({@code mode tcp}, {@code send-proxy-v2}), HAProxy to mxgate (which trusts it), and
 * mxgate to a Postfix backend with {@code smtpd_authorized_xclient_hosts}: the message Postfix
 * stores names 127.0.0.2, in its own Received header and in mxgate's.
 */
@Tag("interop")
class HaproxyXclientInteropIT {

    @Test
    void postfixBehindHaproxyAndMxgateSeesTheOriginalClient() throws Exception {
        assumeTrue(InteropTools.missing("haproxy") == null, InteropTools.missing("haproxy"));
        assumeTrue(InteropTools.postfixMissing() == null, InteropTools.postfixMissing());
        Path work = Files.createTempDirectory("mxgate-haproxy-");
        // Postfix's delivery agent, running as postfix, must reach the Maildir below.
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path mail = Files.createDirectories(work.resolve("mail"));
        try (PostfixInstance postfix = PostfixInstance.mailbox("xclient", mail,
                     Map.of("smtpd_authorized_xclient_hosts", "127.0.0.1"));
             TestGateway gateway = TestGateway.startWith("""
                     hostname: mx.test.invalid
                     shutdown_grace: 1s
                     listeners:
                       - { name: internet, listen: 127.0.0.1:0, policy: internet, proxy_protocol: { trusted: [127.0.0.1] } }
                     pools:
                       mailbox:
                         forward_client_ip: xclient
                         servers: [ { name: postfix, address: 127.0.0.1:%d } ]
                     """.formatted(postfix.port()), Map.of("internet", "accept_domains: [example.test]\n"))) {
            int haproxyPort = InteropTools.freePort();
            Path config = Files.writeString(work.resolve("haproxy.cfg"), """
                    global
                        maxconn 100
                    defaults
                        mode tcp
                        timeout connect 5s
                        timeout client 30s
                        timeout server 30s
                    listen smtp
                        bind 127.0.0.1:%d
                        server mxgate 127.0.0.1:%d send-proxy-v2
                    """.formatted(haproxyPort, gateway.gateway().port("internet")));
            Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", config.toString()).redirectErrorStream(true).start();
            try {
                await("haproxy listening").atMost(Duration.ofSeconds(10)).until(() -> InteropTools.isListening(haproxyPort));
                try (SmtpClient client = new SmtpClient(haproxyPort, "127.0.0.2")) {
                    client.hello();
                    String reply = client.sendMessage("sender@client.test", List.of("user@example.test"),
                            "Subject: through haproxy\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend postfix "), reply);
                }
                Path inbox = mail.resolve("inbox/new");
                String stored = postfix.onlyMessage(inbox, Duration.ofSeconds(20));
                assertTrue(stored.contains("from client.test (unknown [127.0.0.2])"), "Postfix's Received names the client:\n" + stored);
                assertTrue(stored.contains("(unknown [127.0.0.2])\n\t(through load balancer [127.0.0.1])"),
                        "mxgate's Received names client and balancer:\n" + stored);
                assertTrue(postfix.maillog().contains("client=unknown[127.0.0.2]"), postfix.maillog());
            } finally {
                haproxy.destroy();
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
