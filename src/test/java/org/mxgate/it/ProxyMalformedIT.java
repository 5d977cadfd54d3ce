package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxgate.log.ThreadSafeListAppender;
import org.slf4j.LoggerFactory;

/**
 * Malformed PROXY headers from a trusted peer (the cases listed in docs/security.md): each
 * closes the connection without a banner, the gateway keeps serving, and Netty's leak
 * detector at paranoid level reports no leaked buffer.
 */
class ProxyMalformedIT {

    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    static Map<String, byte[]> cases() {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("SMTP before the header", ascii("EHLO client.test\r\n"));
        cases.put("garbage line", ascii("HELLO WORLD\r\n"));
        cases.put("v1 with too few fields", ascii("PROXY TCP4 198.18.0.7\r\n"));
        cases.put("v1 with a bad address", ascii("PROXY TCP4 999.18.0.7 127.0.0.1 40000 25\r\n"));
        cases.put("v1 with a host name", ascii("PROXY TCP4 evil.test 127.0.0.1 40000 25\r\n"));
        cases.put("v1 with a bad port", ascii("PROXY TCP4 198.18.0.7 127.0.0.1 70000 25\r\n"));
        cases.put("v1 family mismatch", ascii("PROXY TCP6 198.18.0.7 127.0.0.1 40000 25\r\n"));
        cases.put("v1 unknown protocol", ascii("PROXY UDP4 198.18.0.7 127.0.0.1 40000 25\r\n"));
        cases.put("v1 over 107 bytes", ascii("PROXY TCP4 " + "1".repeat(200) + "\r\n"));
        cases.put("v1 with a bare LF", ascii("PROXY TCP4 198.18.0.7 127.0.0.1 40000 25\n"));
        // proxy-protocol.txt 2.1: no leading zeros, "to avoid any possible confusion with octal numbers".
        cases.put("v1 address with a leading zero", ascii("PROXY TCP4 198.18.0.07 127.0.0.1 40000 25\r\n"));
        cases.put("v1 address that is octal elsewhere", ascii("PROXY TCP4 198.18.0.010 127.0.0.1 40000 25\r\n"));
        cases.put("v1 destination with a leading zero", ascii("PROXY TCP4 198.18.0.7 127.0.0.01 40000 25\r\n"));
        cases.put("v1 source port with a leading zero", ascii("PROXY TCP4 198.18.0.7 127.0.0.1 056324 25\r\n"));
        cases.put("v1 destination port with a leading zero", ascii("PROXY TCP4 198.18.0.7 127.0.0.1 40000 025\r\n"));
        cases.put("v1 IPv6 with a zero-led IPv4 tail", ascii("PROXY TCP6 ::ffff:198.18.0.07 ::1 40000 25\r\n"));
        cases.put("v2 bad version", v2(0x31, 0x11, 12, new byte[12]));
        cases.put("v2 bad command", v2(0x2F, 0x11, 12, new byte[12]));
        cases.put("v2 bad family", v2(0x21, 0x71, 12, new byte[12]));
        cases.put("v2 address block too short", v2(0x21, 0x11, 4, new byte[4]));
        cases.put("v2 length beyond what is sent", v2(0x21, 0x11, 600, new byte[12]));
        byte[] badSignature = v2(0x21, 0x11, 12, new byte[12]);
        badSignature[7] = 'X';
        cases.put("v2 broken signature", badSignature);
        return cases;
    }

    private static final String ON_PURPOSE = "leaked on purpose by ProxyMalformedIT";

    /** A buffer nobody releases, marked so its leak report can be told apart. */
    private static void leakOnPurpose() {
        PooledByteBufAllocator.DEFAULT.buffer(64).touch(ON_PURPOSE);
    }

    private static void collectAndTrack() {
        System.gc();
        ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(64);
        probe.release();
    }

    @Test
    void eachMalformedHeaderClosesTheConnectionWithoutABannerOrALeak() throws Exception {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ListAppender<ILoggingEvent> leaks = new ThreadSafeListAppender();
        leaks.start();
        Logger leakLog = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        leakLog.addAppender(leaks);
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = ProxyProtocolIT.gateway(backend.port(), "127.0.0.1")) {
            int port = gateway.gateway().port("internal");
            Map<String, byte[]> cases = cases();
            assertTrue(cases.size() >= 10);
            for (Map.Entry<String, byte[]> c : cases.entrySet()) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(5000);
                    socket.getOutputStream().write(c.getValue());
                    String answer = firstLineOrEnd(socket.getInputStream());
                    assertFalse(answer.contains("220"), c.getKey() + ": got a banner: " + answer);
                }
            }
            // Still serving after all of them.
            try (SmtpClient client = new SmtpClient(port)) {
                client.write("PROXY TCP4 198.18.0.7 127.0.0.1 40000 25\r\n");
                client.hello();
            }
            // Leaks are reported when a leaked buffer has been collected and the detector next tracks an
            // allocation. A buffer leaked on purpose is the event to wait for: once its leak is reported,
            // a collection after every connection above has run, and the detector has looked at it.
            leakOnPurpose();
            await("the deliberate leak reported").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        collectAndTrack();
                        return leaks.list.stream().anyMatch(e -> e.getFormattedMessage().contains(ON_PURPOSE));
                    });
            // What that collection found after the deliberate leak is reported at the next allocation.
            collectAndTrack();
            assertEquals(0, leaks.list.stream().filter(e -> e.getFormattedMessage().contains("LEAK")
                    && !e.getFormattedMessage().contains(ON_PURPOSE)).count(), leaks.list.toString());
        } finally {
            leakLog.detachAppender(leaks);
            ResourceLeakDetector.setLevel(before);
        }
    }

    /**
     * Log forging: bytes a balancer passes on from the client after a bare LF (or inside a v2 UNIX
     * address) must not start a line of the application log; they appear escaped, on the line of
     * the warning that quotes them.
     */
    @Test
    void clientBytesInABadHeaderNeverStartALineOfTheApplicationLog() throws Exception {
        ListAppender<ILoggingEvent> app = new ThreadSafeListAppender();
        app.start();
        Logger mxgate = (Logger) LoggerFactory.getLogger("org.mxgate");
        mxgate.addAppender(app);
        Map<String, byte[]> forged = new LinkedHashMap<>();
        forged.put("v1 ended by a bare LF", ascii("PROXY TCP4 198.18.0.7 127.0.0.1 40000 25\n" + FORGED + "\r\n"));
        forged.put("v1 with a bare CR", ascii("PROXY TCP4 198.18.0.7\r" + FORGED + "\r\n"));
        forged.put("v1 with a line separator and NEL", "PROXY TCP4 198.18.0.7\u2028FORGED\u0085FORGED\r\n"
                .getBytes(StandardCharsets.UTF_8));
        byte[] unix = new byte[216];
        byte[] path = ascii("/tmp/x\n" + FORGED);
        System.arraycopy(path, 0, unix, 0, path.length);
        forged.put("v2 UNIX address with a LF", v2(0x21, 0x31, 216, unix));
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = ProxyProtocolIT.gateway(backend.port(), "127.0.0.1")) {
            int port = gateway.gateway().port("internal");
            for (Map.Entry<String, byte[]> c : forged.entrySet()) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(5000);
                    socket.getOutputStream().write(c.getValue());
                    String answer = firstLineOrEnd(socket.getInputStream());
                    assertFalse(answer.contains("220"), c.getKey() + ": got a banner: " + answer);
                }
            }
        } finally {
            mxgate.detachAppender(app);
        }
        // Each warning is logged before its connection is closed, so all are in by now.
        List<String> messages = app.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(messages.stream().filter(m -> m.contains("PROXY")).count() >= forged.size(), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("/tmp/x\\nFORGED")), "quoted, escaped: " + messages);
        for (String message : messages) {
            for (String line : message.split("\\R")) {
                assertFalse(line.stripLeading().startsWith("FORGED"), "a forged log line: " + message);
            }
        }
    }

    /** What the gateway sends before it closes, or its first line (a banner) if it does not close. */
    private static String firstLineOrEnd(InputStream in) throws IOException {
        StringBuilder answer = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            answer.append((char) b);
            if (b == '\n') {
                break;
            }
        }
        return answer.toString();
    }

    private static final String FORGED = "FORGED 12:00:00.000 INFO  [main] o.m.Main - admin logged in";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2(int versionCommand, int familyProtocol, int declaredLength, byte[] addresses) {
        byte[] out = new byte[16 + addresses.length];
        System.arraycopy(SIGNATURE, 0, out, 0, 12);
        out[12] = (byte) versionCommand;
        out[13] = (byte) familyProtocol;
        out[14] = (byte) (declaredLength >> 8);
        out[15] = (byte) declaredLength;
        System.arraycopy(addresses, 0, out, 16, addresses.length);
        return out;
    }
}
