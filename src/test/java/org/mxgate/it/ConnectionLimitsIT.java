package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxgate.config.ClientLimitsConfig;
import org.mxgate.limits.ListenerLimits;
import org.mxgate.listener.Listener;

/**
 * Connection limits on real sockets, before the greeting: per client address (the real one,
 * behind a PROXY header), per listener and per process; a second address is served while one
 * is at its limit; and every slot comes back when its session ends, however it ends.
 */
class ConnectionLimitsIT {

    private static final byte[] BODY = "Subject: limits\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void fiftyConnectionsFromOneAddressWithALimitOfTen() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "  max_connections_per_ip: 10\n")) {
            List<SmtpClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    clients.add(new SmtpClient(gateway.internet(), "127.0.0.1"));
                }
                int greeted = 0;
                int refused = 0;
                List<SmtpClient> open = new ArrayList<>();
                for (SmtpClient client : clients) {
                    String first = client.reply();
                    if (first.startsWith("220 ")) {
                        greeted++;
                        open.add(client);
                    } else {
                        assertEquals("421 4.7.0 mx.test.invalid Error: too many connections from 127.0.0.1, try again later",
                                first);
                        assertTrue(client.isClosedByServer());
                        refused++;
                    }
                }
                assertEquals(10, greeted);
                assertEquals(40, refused);
                // Meanwhile a second address is served normally.
                try (SmtpClient other = new SmtpClient(gateway.internet(), "127.0.0.2")) {
                    other.hello();
                    String reply = other.sendMessage("a@client.test", List.of("user@example.test"), BODY);
                    assertTrue(reply.startsWith("250 2.0.0"), reply);
                }
                // And the ten admitted sessions work.
                for (SmtpClient client : open) {
                    assertTrue(client.send("EHLO client.test").startsWith("250"));
                }
                for (SmtpClient client : open) {
                    client.send("QUIT");
                }
            } finally {
                for (SmtpClient client : clients) {
                    client.close();
                }
            }
            ListenerLimits limits = listener(gateway, "internet").limits();
            await().atMost(Duration.ofSeconds(10)).until(() -> limits.sessionsFrom(InetAddress.getByName("127.0.0.1"),
                    internet(gateway)) == 0);
            try (SmtpClient again = new SmtpClient(gateway.internet(), "127.0.0.1")) {
                assertTrue(again.reply().startsWith("220 "), "the address has its slots back");
            }
        }
    }

    @Test
    void aThousandSessionsLeaveNoCountBehind() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "  max_connections_per_ip: 1000\n")) {
            for (int i = 0; i < 1000; i++) {
                try (SmtpClient client = new SmtpClient(gateway.internet(), "127.0.0.1")) {
                    assertTrue(client.reply().startsWith("220 "), "session " + i);
                    // Sessions end every way a session ends: QUIT, a dropped connection, after EHLO, after mail.
                    switch (i % 4) {
                        case 0 -> client.send("QUIT");
                        case 1 -> { }
                        case 2 -> client.send("EHLO client.test");
                        default -> {
                            if (i % 100 == 3) {
                                client.send("EHLO client.test");
                                client.sendMessage("a@client.test", List.of("user@example.test"), BODY);
                            }
                        }
                    }
                }
            }
            Listener internet = listener(gateway, "internet");
            InetAddress client = InetAddress.getByName("127.0.0.1");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertEquals(0, internet.limits().sessionsFrom(client, internet(gateway)), "sessions counted from 127.0.0.1");
                assertEquals(0, internet.limits().openSessions(), "sessions counted on the listener");
            });
        }
    }

    @Test
    void theListenerCapRefusesEveryoneElseWith421AndTheOtherListenerGoesOn() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "  max_connections: 3\n")) {
            List<SmtpClient> open = new ArrayList<>();
            try {
                for (int i = 1; i <= 3; i++) {
                    SmtpClient client = new SmtpClient(gateway.internet(), "127.0.0." + i);
                    open.add(client);
                    assertTrue(client.reply().startsWith("220 "));
                }
                try (SmtpClient fourth = new SmtpClient(gateway.internet(), "127.0.0.4")) {
                    assertEquals("421 4.3.2 mx.test.invalid Error: too many connections, try again later", fourth.reply());
                    assertTrue(fourth.isClosedByServer());
                }
                try (SmtpClient internal = new SmtpClient(gateway.internal(), "127.0.0.4")) {
                    assertTrue(internal.reply().startsWith("220 "), "the internal listener counts its own");
                }
            } finally {
                for (SmtpClient client : open) {
                    client.close();
                }
            }
        }
    }

    @Test
    void theProcessCapCountsEveryListenerAndFreesWhenASessionEnds() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()), "", "",
                     "shutdown_grace: 2s\nmax_connections: 2\n")) {
            try (SmtpClient one = new SmtpClient(gateway.internet(), "127.0.0.1");
                 SmtpClient two = new SmtpClient(gateway.internal(), "127.0.0.2")) {
                assertTrue(one.reply().startsWith("220 "));
                assertTrue(two.reply().startsWith("220 "));
                for (int port : List.of(gateway.internet(), gateway.internal())) {
                    try (SmtpClient third = new SmtpClient(port, "127.0.0.3")) {
                        assertEquals("421 4.3.2 mx.test.invalid Error: too many connections, try again later",
                                third.reply());
                    }
                }
                one.send("QUIT");
            }
            // The slots come back as the gateway sees the connections end.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                try (SmtpClient next = new SmtpClient(gateway.internal(), "127.0.0.3")) {
                    return next.reply().startsWith("220 ");
                }
            });
        }
    }

    @Test
    void behindABalancerTheRealClientIsCountedNeverTheBalancer() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith("""
                     hostname: mx.test.invalid
                     shutdown_grace: 1s
                     listeners:
                       - name: internet
                         listen: 127.0.0.1:0
                         proxy_protocol: { trusted: [127.0.0.1], timeout: 2s }
                     pools:
                       mailbox:
                         servers: [ { name: b1, address: 127.0.0.1:%d } ]
                     """.formatted(backend.port()), Map.of("internet", """
                     accept_domains: [example.test]
                     limits: { max_connections_per_ip: 2 }
                     """))) {
            int port = gateway.gateway().port("internet");
            List<SmtpClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    open.add(proxied(port, "203.0.113.7", 40000 + i));
                    assertTrue(open.get(i).reply().startsWith("220 "));
                }
                try (SmtpClient third = proxied(port, "203.0.113.7", 40002)) {
                    assertEquals("421 4.7.0 mx.test.invalid Error: too many connections from 203.0.113.7, try again later",
                            third.reply());
                }
                // Every connection comes from the balancer, 127.0.0.1; another client behind it is served.
                for (int i = 0; i < 3; i++) {
                    SmtpClient other = proxied(port, "198.51.100." + (i + 1), 40000);
                    open.add(other);
                    assertTrue(other.reply().startsWith("220 "));
                }
            } finally {
                for (SmtpClient client : open) {
                    client.close();
                }
            }
        }
    }

    @Test
    void behindImplicitTlsTheRefusedClientReadsIts421() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.startWith(Submission.config(backend.port(), "implicit", "max_connections: 1\n"),
                     Map.of("submission", Submission.POLICY, "users", Submission.users()))) {
            int port = gateway.gateway().port("submission");
            try (SmtpClient first = SmtpClient.implicitTls(port)) {
                assertTrue(first.reply().startsWith("220 "));
                try (SmtpClient second = SmtpClient.implicitTls(port)) {
                    assertEquals("421 4.3.2 mx.test.invalid Error: too many connections, try again later", second.reply());
                    assertTrue(second.isClosedByServer());
                }
            }
        }
    }

    private static SmtpClient proxied(int port, String client, int clientPort) throws Exception {
        SmtpClient c = new SmtpClient(port, "127.0.0.1");
        c.write(ProxyProtocolIT.v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, client, clientPort));
        return c;
    }

    private static Listener listener(TestGateway gateway, String name) {
        return gateway.gateway().listeners().stream().filter(l -> l.config().name().equals(name)).findFirst().orElseThrow();
    }

    private static ClientLimitsConfig internet(TestGateway gateway) {
        return gateway.gateway().config().policies().get("internet").clientLimits();
    }
}
