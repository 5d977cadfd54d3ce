package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pregreet test's offenders shared across instances (issue 17: the pregreet offenders are
 * among the shared counters): a client that talked before the banner on one instance is refused
 * at once on the other, and its neighbour is not.
 */
class SharedPregreetIT {

    @Test
    void anEarlyTalkerOnOneInstanceIsRefusedAtOnceOnTheOther() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RecordingBackend backend = new RecordingBackend();
             TestGateway a = instance(redis, backend);
             TestGateway b = instance(redis, backend)) {
            org.awaitility.Awaitility.await().until(() -> SharedGateways.isConnected(a) && SharedGateways.isConnected(b));
            try (Socket early = connect(a, "127.0.4.1")) {
                early.getOutputStream().write("EHLO bot.test\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("554 5.5.1 Protocol error\r\n", ProxyProtocolIT.drain(early.getInputStream()));
            }
            try (Socket again = connect(b, "127.0.4.1")) {
                assertEquals("554 5.3.2 Service currently unavailable\r\n", ProxyProtocolIT.drain(again.getInputStream()),
                        "refused at once by the instance it never talked to");
            }
            try (SmtpClient neighbour = new SmtpClient(b.internet(), "127.0.4.2")) {
                assertTrue(neighbour.hello().startsWith("250"), "only that address is remembered");
            }
        }
    }

    private static TestGateway instance(RedisServer redis, RecordingBackend backend) throws Exception {
        return TestGateway.startWith("""
                hostname: mx.test.invalid
                shutdown_grace: 1s
                listeners:
                  - { name: internet, listen: 127.0.0.1:0, policy: internet, greet_delay: 1s }
                pools:
                  mailbox:
                    servers: [ { name: b1, address: 127.0.0.1:%d } ]
                """.formatted(backend.port()) + SharedGateways.sharedState(redis, ""),
                Map.of("internet", "accept_domains: [example.test]\nroute: mailbox\n"));
    }

    private static Socket connect(TestGateway gateway, String from) throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.internet(), InetAddress.getByName(from), 0);
        socket.setSoTimeout(10_000);
        return socket;
    }
}
