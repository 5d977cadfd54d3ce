package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * forward_client_ip: proxy_v2. Each backend connection starts with a PROXY v2 header naming
 * the real client and carries that client's transactions only: a second message in the same
 * session reuses it, another client gets a connection of its own.
 */
class ProxyV2OutIT {

    @Test
    void eachClientGetsItsOwnBackendConnectionWithAProxyHeader() throws Exception {
        try (XclientBackend backend = new XclientBackend(false, true);
             TestGateway gateway = TestGateway.startWith("""
                     hostname: mx.test.invalid
                     shutdown_grace: 1s
                     listeners:
                       - { name: internet, listen: 127.0.0.1:0, policy: internet, proxy_protocol: { trusted: [127.0.0.1] } }
                     pools:
                       mailbox:
                         forward_client_ip: proxy_v2
                         servers: [ { name: b1, address: 127.0.0.1:%d } ]
                     """.formatted(backend.port()), Map.of("internet", "accept_domains: [example.test]\n"))) {
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
