package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 3 of issue 15 over real sockets: on a greet_delay listener a client that talks before
 * the banner gets 554 5.5.1 and is closed, is refused at once (554 5.3.2) when it comes back, and a
 * patient client delivers; with greet_teaser, talking after the 220- line is talking early; behind
 * a trusted balancer the delay starts after the PROXY header and the real client is remembered;
 * sessions waiting out the delay hold no event loop. Each test connects from loopback addresses of
 * its own (127.0.x.y), as the remembered addresses must not meet.
 */
class PregreetIT {

    private static RecordingBackend backend;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = new RecordingBackend();
        gateway = TestGateway.startWith("""
                hostname: mx.test.invalid
                shutdown_grace: 1s
                listeners:
                  - { name: internet, listen: 127.0.0.1:0, policy: internet, greet_delay: 1s }
                  - { name: teaser, listen: 127.0.0.1:0, policy: internet, greet_delay: 1s, greet_teaser: true }
                  - name: balanced
                    listen: 127.0.0.1:0
                    policy: internet
                    greet_delay: 1s
                    proxy_protocol: { trusted: [127.0.0.1], timeout: 10s }
                  - { name: slow, listen: 127.0.0.1:0, policy: internet, greet_delay: 5s }
                  - { name: prompt, listen: 127.0.0.1:0, policy: internet }
                pools:
                  mailbox:
                    servers: [ { name: b1, address: 127.0.0.1:%d } ]
                """.formatted(backend.port()), Map.of("internet", "accept_domains: [example.test]\nroute: mailbox\n"));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void earlyTalkerIsRefusedAndClosedWhileAPatientClientDelivers() throws Exception {
        try (Socket early = connect("internet", "127.0.1.1")) {
            early.getOutputStream().write("EHLO bot.test\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("554 5.5.1 Protocol error\r\n", ProxyProtocolIT.drain(early.getInputStream()),
                    "the refusal, then the end of the connection");
        }
        try (SmtpClient patient = new SmtpClient(gateway.gateway().port("internet"), "127.0.1.2")) {
            long start = System.nanoTime();
            patient.hello();
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 900, "the banner waited for greet_delay (1 s), not " + waited + " ms");
            String sender = "patient-" + System.nanoTime() + "@client.test";
            String reply = patient.sendMessage(sender, List.of("user@example.test"),
                    "Subject: waited\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(reply.startsWith("250 2.0.0"), reply);
            assertTrue(backend.messages().stream().anyMatch(m -> m.from().equals(sender)), "delivered");
        }
    }

    @Test
    void earlyTalkerIsRefusedAtOnceWhenItComesBack() throws Exception {
        try (Socket early = connect("internet", "127.0.2.1")) {
            early.getOutputStream().write("EHLO bot.test\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("554 5.5.1 Protocol error\r\n", ProxyProtocolIT.drain(early.getInputStream()));
        }
        try (Socket again = connect("internet", "127.0.2.1")) {
            // This time it waits, and is refused all the same, without a test.
            assertEquals("554 5.3.2 Service currently unavailable\r\n", ProxyProtocolIT.drain(again.getInputStream()));
        }
        try (SmtpClient neighbour = new SmtpClient(gateway.gateway().port("internet"), "127.0.2.2")) {
            assertTrue(neighbour.hello().startsWith("250"), "only that address is remembered");
        }
    }

    @Test
    void talkingAfterTheTeaserLineIsTalkingEarly() throws Exception {
        try (Socket early = connect("teaser", "127.0.3.1")) {
            InputStream in = early.getInputStream();
            assertEquals("220-mx.test.invalid ESMTP", line(in), "the first line goes out at once");
            early.getOutputStream().write("EHLO bot.test\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("554 5.5.1 Protocol error\r\n", ProxyProtocolIT.drain(in));
        }
        try (SmtpClient patient = new SmtpClient(gateway.gateway().port("teaser"), "127.0.3.2")) {
            assertEquals("220-mx.test.invalid ESMTP\n220 mx.test.invalid ESMTP", patient.reply(),
                    "one multi-line greeting, its last line after the delay");
            assertTrue(patient.send("EHLO client.test").startsWith("250"));
        }
    }

    @Test
    void behindABalancerTheDelayStartsAfterTheHeaderAndTheRealClientIsRemembered() throws Exception {
        try (Socket balancer = connect("balanced", "127.0.0.1")) {
            // The pause is the behaviour under test: longer than greet_delay, before the header.
            Thread.sleep(1500);
            balancer.getOutputStream().write(concat(
                    ProxyProtocolIT.v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "198.18.0.9"),
                    "EHLO bot.test\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("554 5.5.1 Protocol error\r\n", ProxyProtocolIT.drain(balancer.getInputStream()),
                    "the delay had not begun before the header, so EHLO right after it is early");
        }
        try (Socket balancer = connect("balanced", "127.0.0.1")) {
            balancer.getOutputStream().write(ProxyProtocolIT.v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4,
                    "198.18.0.9"));
            assertEquals("554 5.3.2 Service currently unavailable\r\n", ProxyProtocolIT.drain(balancer.getInputStream()),
                    "198.18.0.9 is remembered, whichever balancer connection it comes through");
        }
        try (SmtpClient other = new SmtpClient(gateway.gateway().port("balanced"))) {
            other.write(ProxyProtocolIT.v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "198.18.0.10"));
            long start = System.nanoTime();
            assertTrue(other.hello().startsWith("250"), "the balancer's address itself is not remembered");
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 900, "greet_delay counted from the header: " + waited + " ms");
        }
    }

    @Test
    void sessionsWaitingOutTheDelayHoldNoEventLoop() throws Exception {
        List<Socket> waiting = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 1; i <= 40; i++) {
                waiting.add(connect("slow", "127.0.4." + i));
            }
            try (SmtpClient prompt = new SmtpClient(gateway.gateway().port("prompt"), "127.0.5.1")) {
                assertTrue(prompt.hello().startsWith("250"));
                long served = (System.nanoTime() - start) / 1_000_000;
                assertTrue(served < 4000, "served while 40 sessions wait out their 5 s delay, in " + served + " ms");
            }
            for (Socket socket : waiting) {
                assertEquals("220 mx.test.invalid ESMTP", line(socket.getInputStream()));
            }
            long greeted = (System.nanoTime() - start) / 1_000_000;
            assertTrue(greeted >= 4900, "each waited its 5 s: " + greeted + " ms");
        } finally {
            for (Socket socket : waiting) {
                socket.close();
            }
        }
    }

    private static Socket connect(String listener, String from) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.gateway().port(listener),
                InetAddress.getByName(from), 0);
        socket.setSoTimeout(15_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** One line without its CRLF. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
