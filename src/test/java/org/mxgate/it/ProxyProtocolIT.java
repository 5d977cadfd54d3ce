package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The real client address from a trusted balancer's PROXY header (v1 and v2) drives the relay
 * decision, the Received header and the protocol log; LOCAL keeps the socket address; a
 * trusted peer that sends no header, or a bad one, gets no banner; an untrusted peer's PROXY
 * line is an unknown command.
 */
class ProxyProtocolIT {

    /** The internal listener relays for 198.18.0.0/15 only; its balancer 127.0.0.1 is trusted but no relay client. */
    static TestGateway gateway(int backendPort, String trusted) throws Exception {
        return TestGateway.startWith("""
                hostname: mx.test.invalid
                shutdown_grace: 1s
                listeners:
                  - name: internal
                    listen: 127.0.0.1:0
                    policy: internal
                    proxy_protocol: { trusted: [%s], timeout: 1s }
                pools:
                  mailbox:
                    servers: [ { name: b1, address: 127.0.0.1:%d } ]
                """.formatted(trusted, backendPort), Map.of("internal", """
                accept_domains: [example.test]
                relay: { networks: [198.18.0.0/15] }
                route: mailbox
                """));
    }

    static byte[] v2(HAProxyCommand command, HAProxyProxiedProtocol protocol, String source) {
        return v2(command, protocol, source, 40000);
    }

    /** A PROXY v2 header naming {@code source:sourcePort} as the client. */
    static byte[] v2(HAProxyCommand command, HAProxyProxiedProtocol protocol, String source, int sourcePort) {
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        boolean local = command == HAProxyCommand.LOCAL;
        encoder.writeOutbound(new HAProxyMessage(HAProxyProtocolVersion.V2, command, protocol,
                local ? null : source, local ? null : "127.0.0.1", local ? 0 : sourcePort, local ? 0 : 25));
        ByteBuf out = encoder.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        encoder.finishAndReleaseAll();
        return bytes;
    }

    @Test
    void v2HeaderNamesTheClientForPolicyReceivedHeaderAndLog() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = gateway(backend.port(), "127.0.0.1")) {
            int port = gateway.gateway().port("internal");
            try (SmtpClient outsider = new SmtpClient(port)) {
                outsider.write(v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "203.0.113.7"));
                outsider.hello();
                assertTrue(outsider.send("MAIL FROM:<a@client.test>").startsWith("250"));
                String rcpt = outsider.send("RCPT TO:<user@elsewhere.test>");
                assertTrue(rcpt.startsWith("554 5.7.1"), "203.0.113.7 may not relay, whatever its balancer's address: " + rcpt);
            }
            String sender = "proxied-" + UUID.randomUUID() + "@client.test";
            try (SmtpClient relayClient = new SmtpClient(port)) {
                relayClient.write(v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "198.18.0.7"));
                relayClient.hello();
                String reply = relayClient.sendMessage(sender, List.of("user@elsewhere.test"),
                        "Subject: via balancer\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(reply.startsWith("250 2.0.0"), reply);
            }
            String stored = new String(backend.messages().get(0).bytes(), StandardCharsets.UTF_8);
            assertTrue(stored.startsWith("Received: from client.test (unknown [198.18.0.7])\r\n"
                    + "\t(through load balancer [127.0.0.1])\r\n"), stored);
            String session = ProtocolLogFile.sessionOf(sender);
            assertNotNull(session);
            assertTrue(ProtocolLogFile.linesOf(session).stream()
                    .allMatch(l -> l.contains("\"client\":\"198.18.0.7\",\"balancer\":\"127.0.0.1\"")));
        }
    }

    @Test
    void v1LineNamesTheClientToo() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = gateway(backend.port(), "127.0.0.1");
             SmtpClient client = new SmtpClient(gateway.gateway().port("internal"))) {
            client.write("PROXY TCP4 198.18.0.9 127.0.0.1 40000 25\r\n");
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@elsewhere.test>").startsWith("250"));
        }
    }

    @Test
    void headerSplitAcrossSegmentsIsReassembled() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = gateway(backend.port(), "127.0.0.1");
             Socket socket = new Socket("127.0.0.1", gateway.gateway().port("internal"))) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(5000);
            byte[] header = v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "198.18.0.7");
            for (byte b : header) {
                socket.getOutputStream().write(b);
                socket.getOutputStream().flush();
                // The pause is the behaviour under test, not a wait: it lets each byte leave as a segment of its own.
                Thread.sleep(3);
            }
            socket.getOutputStream().write("EHLO client.test\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<user@elsewhere.test>\r\nQUIT\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String dialogue = drain(socket.getInputStream());
            assertTrue(dialogue.startsWith("220 "), dialogue);
            assertTrue(dialogue.contains("250 2.1.0 Ok\r\n250 Ok\r\n221 "),
                    "198.18.0.7 from the reassembled header may relay: " + dialogue);
        }
    }

    @Test
    void localHeaderAndV1UnknownKeepTheSocketAddress() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = gateway(backend.port(), "127.0.0.1")) {
            int port = gateway.gateway().port("internal");
            for (byte[] header : List.of(v2(HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN, null),
                    "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII))) {
                try (SmtpClient healthCheck = new SmtpClient(port)) {
                    healthCheck.write(header);
                    healthCheck.hello();
                    assertTrue(healthCheck.send("MAIL FROM:<a@client.test>").startsWith("250"));
                    assertTrue(healthCheck.send("RCPT TO:<user@elsewhere.test>").startsWith("554 5.7.1"),
                            "the balancer's own address 127.0.0.1 may not relay");
                    assertTrue(healthCheck.send("RCPT TO:<user@example.test>").startsWith("250"));
                }
            }
        }
    }

    @Test
    void trustedPeerWithoutAHeaderGetsNoBannerAndIsClosed() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = gateway(backend.port(), "127.0.0.1");
             Socket socket = new Socket("127.0.0.1", gateway.gateway().port("internal"))) {
            socket.setSoTimeout(5000);
            long start = System.nanoTime();
            assertEquals(-1, socket.getInputStream().read(), "closed without a banner");
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 800 && waited < 4000, "closed after the 1 s header timeout, not " + waited + " ms");
        }
    }

    @Test
    void untrustedPeersProxyLineIsAnUnknownCommandAndChangesNothing() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = gateway(backend.port(), "192.0.2.10");
             SmtpClient client = new SmtpClient(gateway.gateway().port("internal"))) {
            String greeting = client.reply();
            assertTrue(greeting.startsWith("220 "), "an untrusted peer is greeted at once: " + greeting);
            assertTrue(client.send("PROXY TCP4 198.18.0.7 127.0.0.1 40000 25").startsWith("500 5.5.1"));
            assertTrue(client.send("EHLO client.test").startsWith("250"));
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@elsewhere.test>").startsWith("554 5.7.1"), "still 127.0.0.1");
        }
    }

    @Test
    void headerAfterTheBannerIsNeverHonoured() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = gateway(backend.port(), "192.0.2.10");
             SmtpClient client = new SmtpClient(gateway.gateway().port("internal"))) {
            client.hello();
            client.write(v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "198.18.0.7"));
            client.write("NOOP\r\n");
            // The binary header is not a command: refused (and the session may end on the error
            // limit), but never taken as an address.
            String reply = client.reply();
            assertFalse(reply != null && reply.startsWith("2"), reply);
        }
    }

    /** Reads whatever the gateway sends until it closes; the bytes as text. */
    static String drain(InputStream in) throws java.io.IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
