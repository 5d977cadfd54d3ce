package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * source_address: backends see internet mail and internal mail arrive from different local
 * addresses (Exchange picks its receive connector by the remote address), and a parked backend
 * session is never reused across them. The pool's address applies where a listener has none.
 * Health probes leave from each address the pool's mail leaves from, so they meet the same
 * receive connector, and its back pressure, as the mail does.
 */
class SourceAddressIT {

    @Test
    void eachListenersMailLeavesFromItsOwnAddress() throws Exception {
        try (RecordingBackend shared = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith("""
                     hostname: mx.test.invalid
                     shutdown_grace: 1s
                     listeners:
                       - { name: internet, listen: 127.0.0.1:0, policy: internet, source_address: 127.0.0.3 }
                       - { name: internal, listen: 127.0.0.1:0, policy: internal }
                     pools:
                       mailbox:
                         source_address: 127.0.0.4
                         servers: [ { name: exchange, address: 127.0.0.1:%d } ]
                     """.formatted(shared.port()), Map.of(
                     "internet", "accept_domains: [example.test]\n",
                     "internal", "accept_domains: [example.test]\nrelay: { networks: [127.0.0.0/8] }\n"))) {
            byte[] body = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 3; i++) {
                for (String listener : List.of("internet", "internal")) {
                    try (SmtpClient client = new SmtpClient(gateway.gateway().port(listener))) {
                        client.hello();
                        String reply = client.sendMessage("a@client.test", List.of("user@example.test"), body);
                        assertTrue(reply.startsWith("250 2.0.0"), reply);
                    }
                }
            }
            assertEquals(6, shared.messages().size());
            assertEquals(Set.of("127.0.0.3", "127.0.0.4"), shared.remoteAddresses());
        }
    }

    @Test
    void probesLeaveFromTheAddressesOfTheListenersThatRouteToThePool() throws Exception {
        String probe = "probe@outside.test";
        try (RecordingBackend mailbox = new RecordingBackend();
             RecordingBackend outbound = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith("""
                     hostname: mx.test.invalid
                     shutdown_grace: 1s
                     listeners:
                       - { name: internet, listen: 127.0.0.1:0, policy: internet, source_address: 127.0.0.3 }
                       - { name: internal, listen: 127.0.0.1:0, policy: internal }
                       - { name: submission, listen: 127.0.0.1:0, policy: submission, source_address: 127.0.0.5 }
                     pools:
                       mailbox:
                         source_address: 127.0.0.4
                         health_check: { interval: 100ms, timeout: 1s, probe: mail_from, sender: %s }
                         servers: [ { name: exchange, address: 127.0.0.1:%d } ]
                       outbound:
                         health_check: { interval: 100ms, timeout: 1s, probe: mail_from, sender: %s }
                         servers: [ { name: smarthost, address: 127.0.0.1:%d } ]
                     """.formatted(probe, mailbox.port(), probe, outbound.port()), Map.of(
                     "internet", "accept_domains: [example.test]\nroute: mailbox\n",
                     "internal", "accept_domains: [example.test]\nrelay: { networks: [127.0.0.0/8] }\nroute: mailbox\n",
                     "submission", "accept_domains: [example.test]\nroute: outbound\n"))) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertTrue(
                    mailbox.remoteAddressesOf(probe).containsAll(Set.of("127.0.0.3", "127.0.0.4"))
                            && outbound.remoteAddressesOf(probe).contains("127.0.0.5"),
                    () -> "mailbox probed from " + mailbox.remoteAddressesOf(probe) + ", outbound from "
                    + outbound.remoteAddressesOf(probe)));
            // Never from the system's choice (127.0.0.1), nor from a listener routing elsewhere.
            assertEquals(Set.of("127.0.0.3", "127.0.0.4"), mailbox.remoteAddressesOf(probe));
            assertEquals(Set.of("127.0.0.5"), outbound.remoteAddressesOf(probe));
        }
    }
}
