package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Routes: recipient domain to backend pool. A recipient for another pool than the transaction's
 * gets 452 4.5.3 and comes back in the next transaction, so each message lands in one pool.
 */
class RoutingIT {

    @Test
    void mixedRecipientsAreSplitAcrossTransactionsAndEachLandsInItsPool() throws Exception {
        try (RecordingBackend mailbox = new RecordingBackend();
             RecordingBackend outbound = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith("""
                     hostname: mx.test.invalid
                     listeners:
                       - { name: internal, listen: 127.0.0.1:0, policy: internal }
                     pools:
                       mailbox:
                         servers: [ { address: 127.0.0.1:%d } ]
                       outbound:
                         servers: [ { address: 127.0.0.1:%d } ]
                     """.formatted(mailbox.port(), outbound.port()), Map.of("internal", """
                     accept_domains: [example.test]
                     relay: { networks: [127.0.0.0/8] }
                     routes:
                       example.test: mailbox
                       "*.example.test": mailbox
                       "*": outbound
                     """));
             SmtpClient client = new SmtpClient(gateway.gateway().port("internal"))) {
            client.hello();
            byte[] body = "Subject: split\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
            assertTrue(client.send("MAIL FROM:<app@example.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
            String other = client.send("RCPT TO:<someone@elsewhere.test>");
            assertTrue(other.startsWith("452 4.5.3"), other);
            assertTrue(client.send("RCPT TO:<dev@lab.example.test>").startsWith("250"), "same route, same transaction");
            assertTrue(client.send("DATA").startsWith("354"));
            client.write(SmtpClient.stuff(body));
            client.write(".\r\n");
            assertTrue(client.reply().startsWith("250 2.0.0"));

            String second = client.sendMessage("app@example.test", List.of("someone@elsewhere.test"), body);
            assertTrue(second.startsWith("250 2.0.0"), second);

            assertEquals(1, mailbox.messages().size());
            assertEquals(List.of("user@example.test", "dev@lab.example.test"), mailbox.messages().get(0).recipients());
            assertEquals(1, outbound.messages().size());
            assertEquals(List.of("someone@elsewhere.test"), outbound.messages().get(0).recipients());
        }
    }
}
