package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * forward_client_ip: proxy_v2. Each backend connection starts with a PROXY v2 header naming
 * the real client and carries that client address's transactions only: a second message in the
 * same session, or a later session from the same address, reuses it; another address gets a
 * connection of its own. Parked connections stay within {@code idle_connections} per server and
 * I/O thread however many clients come and go.
 */
class ProxyV2OutIT {

    private static final byte[] BODY = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);

    private static TestGateway gateway(int backendPort, String poolKeys) throws Exception {
        return TestGateway.startWith("""
                hostname: mx.test.invalid
                shutdown_grace: 1s
                listeners:
                  - { name: internet, listen: 127.0.0.1:0, policy: internet, proxy_protocol: { trusted: [127.0.0.1] } }
                pools:
                  mailbox:
                    forward_client_ip: proxy_v2
                %s
                    servers: [ { name: b1, address: 127.0.0.1:%d } ]
                """.formatted(poolKeys.indent(4).stripTrailing(), backendPort),
                Map.of("internet", "accept_domains: [example.test]\n"));
    }

    private static void session(TestGateway gateway, String clientIp, int clientPort) throws Exception {
        try (SmtpClient client = new SmtpClient(gateway.gateway().port("internet"))) {
            client.write(ProxyProtocolIT.v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, clientIp, clientPort));
            client.hello();
            String reply = client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
            assertTrue(reply.startsWith("250 2.0.0"), clientIp + ":" + clientPort + ": " + reply);
            client.send("QUIT");
        }
    }

    @Test
    void twoThousandClientsLeaveAtMostIdleConnectionsPerThreadOpen() throws Exception {
        int loops = Runtime.getRuntime().availableProcessors();
        try (XclientBackend backend = new XclientBackend(false, true);
             TestGateway gateway = gateway(backend.port(), "idle_connections: 2\nidle_timeout: 5m")) {
            for (int i = 0; i < 2000; i++) {
                // A new client address each time: the worst case for a map keyed by client.
                session(gateway, "198.18." + (i / 250) + "." + (i % 250 + 1), 40000 + i);
            }
            // The last sessions' parked connections settle once their replies are out; wait for that.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(backend.openConnections() <= 2 * loops,
                    () -> backend.openConnections() + " backend connections open after 2000 client sessions; "
                    + "idle_connections 2 x " + loops + " I/O threads allow " + 2 * loops));
        }
    }

    @Test
    void laterSessionsFromTheSameAddressReuseItsConnection() throws Exception {
        int loops = Runtime.getRuntime().availableProcessors();
        try (XclientBackend backend = new XclientBackend(false, true);
             TestGateway gateway = gateway(backend.port(), "")) {
            for (int i = 0; i < 10; i++) {
                // Another source port each time, as a client's every new connection has.
                session(gateway, "203.0.113.7", 40000 + i);
            }
            List<String> headers = backend.commands().stream().filter(c -> c.startsWith("PROXY ")).toList();
            assertTrue(headers.size() <= loops, "at most one backend connection per I/O thread: " + headers);
            assertEquals(10, backend.commands().stream().filter(c -> c.startsWith("MAIL FROM")).count());
        }
    }

    @Test
    void eachClientGetsItsOwnBackendConnectionWithAProxyHeader() throws Exception {
        try (XclientBackend backend = new XclientBackend(false, true);
             TestGateway gateway = gateway(backend.port(), "")) {
            byte[] body = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
            for (String clientIp : List.of("203.0.113.7", "198.51.100.20")) {
                try (SmtpClient client = new SmtpClient(gateway.gateway().port("internet"))) {
                    client.write(ProxyProtocolIT.v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, clientIp));
                    client.hello();
                    for (int i = 0; i < 2; i++) {
                        String reply = client.sendMessage("a@client.test", List.of("user@example.test"), body);
                        assertTrue(reply.startsWith("250 2.0.0"), reply);
                    }
                }
            }
            List<String> headers = backend.commands().stream().filter(c -> c.startsWith("PROXY ")).toList();
            assertEquals(List.of("PROXY 203.0.113.7:40000", "PROXY 198.51.100.20:40000"), headers,
                    "one connection, and one header, per client: " + backend.commands());
            assertEquals(4, backend.commands().stream().filter(c -> c.startsWith("MAIL FROM")).count());
            assertTrue(backend.commands().stream().noneMatch(c -> c.startsWith("XCLIENT")));
        }
    }
}
