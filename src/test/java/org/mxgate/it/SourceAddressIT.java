package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * source_address: backends see internet mail and internal mail arrive from different local
 * addresses (Exchange picks its receive connector by the remote address), and a parked backend
 * session is never reused across them. The pool's address applies where a listener has none.
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
}
