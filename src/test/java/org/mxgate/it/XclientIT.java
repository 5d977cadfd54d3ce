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
 * forward_client_ip: xclient. The backend hears XCLIENT with the real client named by the
 * balancer's PROXY header, then EHLO again; a reused session sends XCLIENT again only for
 * another client; a backend that refuses XCLIENT is a failed backend, not a silent fallback.
 */
class XclientIT {

    private static TestGateway gateway(int... backendPorts) throws Exception {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < backendPorts.length; i++) {
            servers.append("      - { name: b").append(i + 1).append(", address: 127.0.0.1:").append(backendPorts[i]).append(" }\n");
        }
        return TestGateway.startWith("""
                hostname: mx.test.invalid
                shutdown_grace: 1s
                listeners:
                  - { name: internet, listen: 127.0.0.1:0, policy: internet, proxy_protocol: { trusted: [127.0.0.1] } }
                pools:
                  mailbox:
                    balance: round_robin
                    forward_client_ip: xclient
                    servers:
                """ + servers, Map.of("internet", "accept_domains: [example.test]\nroute: mailbox\n"));
    }

    private static String send(TestGateway gateway, String clientIp) throws Exception {
        try (SmtpClient client = new SmtpClient(gateway.gateway().port("internet"))) {
            client.write(ProxyProtocolIT.v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, clientIp));
            client.hello();
            return client.sendMessage("a@client.test", List.of("user@example.test"),
                    "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void backendHearsTheRealClientByXclientThenEhloAgain() throws Exception {
        try (XclientBackend backend = new XclientBackend(false);
             TestGateway gateway = gateway(backend.port())) {
            assertTrue(send(gateway, "203.0.113.7").startsWith("250 2.0.0"));
            List<String> commands = backend.commands();
            int xclient = commands.indexOf("XCLIENT NAME=[UNAVAILABLE] ADDR=203.0.113.7 PORT=40000 HELO=client.test PROTO=ESMTP LOGIN=[UNAVAILABLE]");
            assertTrue(xclient > 0, commands.toString());
            assertTrue(commands.get(xclient - 1).startsWith("EHLO ") && commands.get(xclient + 1).startsWith("EHLO "),
                    "EHLO, XCLIENT, EHLO again: " + commands);
            assertTrue(commands.get(xclient + 2).startsWith("MAIL FROM:<a@client.test>"), commands.toString());

            // The parked session speaks for 203.0.113.7; another client gets its own XCLIENT on it.
            assertTrue(send(gateway, "198.51.100.20").startsWith("250 2.0.0"));
            long xclients = backend.commands().stream().filter(c -> c.startsWith("XCLIENT ")).count();
            assertEquals(2, xclients, backend.commands().toString());
            assertTrue(backend.commands().stream().anyMatch(c -> c.contains("ADDR=198.51.100.20")));
        }
    }

    @Test
    void backendRefusingXclientIsPassedOverNotUsedSilently() throws Exception {
        try (XclientBackend refusing = new XclientBackend(true);
             XclientBackend accepting = new XclientBackend(false);
             TestGateway gateway = gateway(refusing.port(), accepting.port())) {
            String reply = send(gateway, "203.0.113.7");
            assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend b2"), reply);
            assertTrue(refusing.commands().stream().noneMatch(c -> c.startsWith("MAIL")), refusing.commands().toString());
            assertTrue(accepting.commands().stream().anyMatch(c -> c.contains("ADDR=203.0.113.7")));
        }
    }
}
