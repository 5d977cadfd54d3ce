package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DNS lists over real sessions: the address a trusted balancer's PROXY header names (never the
 * balancer's) is looked up; a listed client is refused at RCPT with the zone and its TXT, while
 * mail to our postmaster still passes; an unlisted client passes.
 */
class DnsblIT {

    @Test
    void listedClientIsRefusedAtRcptWithTheZonesTextAndPostmasterStillPasses() throws Exception {
        try (TestDnsServer dns = new TestDnsServer(false);
             RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith("""
                     hostname: mx.test.invalid
                     shutdown_grace: 1s
                     dnsbl:
                       resolvers: ["127.0.0.1:%d"]
                       timeout: 1s
                       zones:
                         - { zone: bl.test, weight: 1.0, codes: [127.0.0.2-127.0.0.11] }
                     listeners:
                       - { name: internet, listen: 127.0.0.1:0, policy: internet, proxy_protocol: { trusted: [127.0.0.1] } }
                     pools:
                       mailbox:
                         servers: [ { address: 127.0.0.1:%d } ]
                     """.formatted(dns.address().getPort(), backend.port()),
                     Map.of("internet", "accept_domains: [example.test]\ndnsbl: { enabled: true, threshold: 1.0 }\n"))) {
            dns.list("7.113.0.203.bl.test.", "127.0.0.2", "Listed: see https://bl.test/203.0.113.7", 300);
            int port = gateway.gateway().port("internet");
            try (SmtpClient listed = new SmtpClient(port)) {
                listed.write(ProxyProtocolIT.v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "203.0.113.7"));
                listed.hello();
                assertTrue(listed.send("MAIL FROM:<a@client.test>").startsWith("250"));
                assertEquals("554 5.7.1 Service unavailable; client [203.0.113.7] blocked using bl.test; "
                        + "Listed: see https://bl.test/203.0.113.7", listed.send("RCPT TO:<user@example.test>"));
                assertTrue(listed.send("RCPT TO:<postmaster@example.test>").startsWith("250"), "RFC 5321 4.5.1");
            }
            try (SmtpClient clean = new SmtpClient(port)) {
                clean.write(ProxyProtocolIT.v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "203.0.113.8"));
                clean.hello();
                assertTrue(clean.send("MAIL FROM:<a@client.test>").startsWith("250"));
                assertTrue(clean.send("RCPT TO:<user@example.test>").startsWith("250"));
            }
            assertEquals(1, dns.queriesFor("7.113.0.203.bl.test."), "the real client, not the balancer 127.0.0.1");
            assertEquals(0, dns.queriesFor("1.0.0.127.bl.test."));
        }
    }

    @Test
    void enforcedAtConnectAListedClientGets554InsteadOfTheGreeting() throws Exception {
        try (TestDnsServer dns = new TestDnsServer(false);
             RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith("""
                     hostname: mx.test.invalid
                     shutdown_grace: 1s
                     dnsbl:
                       resolvers: ["127.0.0.1:%d"]
                       zones: [ { zone: bl.test } ]
                     listeners:
                       - { name: internet, listen: 127.0.0.1:0, policy: internet, proxy_protocol: { trusted: [127.0.0.1] } }
                     pools:
                       mailbox:
                         servers: [ { address: 127.0.0.1:%d } ]
                     """.formatted(dns.address().getPort(), backend.port()),
                     Map.of("internet", "accept_domains: [example.test]\ndnsbl: { enabled: true, enforce: connect }\n"))) {
            dns.list("7.113.0.203.bl.test.", "127.0.0.2", null, 300);
            int port = gateway.gateway().port("internet");
            try (SmtpClient listed = new SmtpClient(port)) {
                listed.write(ProxyProtocolIT.v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "203.0.113.7"));
                assertEquals("554 5.7.1 Service unavailable; client [203.0.113.7] blocked using bl.test", listed.reply());
                assertTrue(listed.isClosedByServer());
            }
            try (SmtpClient clean = new SmtpClient(port)) {
                clean.write(ProxyProtocolIT.v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "203.0.113.8"));
                assertTrue(clean.reply().startsWith("220 "));
            }
        }
    }
}
