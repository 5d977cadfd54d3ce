package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Admission control: a pool of capacity 10 (max_transactions) with 30 % reserved for the
 * internal listener. The internet listener gets 451 4.3.2 at RCPT past 7 open transactions,
 * while internal mail keeps flowing.
 */
class ReserveIT {

    @Test
    void internetFloodLeavesTheReservedShareToInternalMail() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith("""
                     hostname: mx.test.invalid
                     shutdown_grace: 1s
                     listeners:
                       - { name: internet, listen: 127.0.0.1:0, policy: internet }
                       - { name: internal, listen: 127.0.0.1:0, policy: internal }
                     pools:
                       mailbox:
                         reserve: { internal: 30%% }
                         servers: [ { name: mx1, address: 127.0.0.1:%d, max_transactions: 10 } ]
                     """.formatted(backend.port()), Map.of(
                     "internet", "accept_domains: [example.test]\n",
                     "internal", "accept_domains: [example.test]\nrelay: { networks: [127.0.0.0/8] }\n"))) {
            List<SmtpClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 7; i++) {
                    open.add(openTransaction(gateway.gateway().port("internet"), "250"));
                }
                open.add(openTransaction(gateway.gateway().port("internet"), "451 4.3.2"));
                for (int i = 0; i < 3; i++) {
                    open.add(openTransaction(gateway.gateway().port("internal"), "250"));
                }
                open.add(openTransaction(gateway.gateway().port("internal"), "451 4.3.2"));
            } finally {
                for (SmtpClient c : open) {
                    c.close();
                }
            }
        }
    }

    /** A session left with an open transaction (MAIL and RCPT answered); asserts the RCPT reply's start. */
    private static SmtpClient openTransaction(int port, String expected) throws Exception {
        SmtpClient client = new SmtpClient(port);
        client.hello();
        assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
        String rcpt = client.send("RCPT TO:<user@example.test>");
        assertTrue(rcpt.startsWith(expected), "expected " + expected + ", got " + rcpt);
        return client;
    }
}
