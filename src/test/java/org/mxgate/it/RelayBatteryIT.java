package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Never an open relay: every case of src/test/resources/policy/relay-battery.txt (listed in
 * docs/security.md) is sent from outside to the internet listener, each in its own session.
 * None may get 250 at RCPT, and no backend may ever see a MAIL.
 */
class RelayBatteryIT {

    private static RecordingBackend backend;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = new RecordingBackend();
        gateway = TestGateway.start(List.of(backend.port()));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @TestFactory
    Stream<DynamicTest> noCaseRelays() throws IOException {
        List<String[]> cases = cases();
        assertTrue(cases.size() >= 30, "the battery has " + cases.size() + " cases");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c[2] + ": " + c[1], () -> {
            try (SmtpClient client = new SmtpClient(gateway.internet())) {
                client.hello();
                String mail = client.send("MAIL FROM:" + c[0]);
                assertTrue(mail.startsWith("250"), "MAIL FROM:" + c[0] + " -> " + mail);
                String rcpt = client.send("RCPT TO:" + c[1]);
                assertFalse(rcpt.startsWith("2"), "RCPT TO:" + c[1] + " -> " + rcpt);
                assertTrue(rcpt.matches("^5\\d\\d 5\\.\\d\\.\\d+ .*"), "refused for good, with an enhanced code: " + rcpt);
                String data = client.send("DATA");
                assertTrue(data.startsWith("5"), "no transaction to send: " + data);
            }
            assertEquals(0, backend.mailCommands(), "no backend saw a MAIL");
        }));
    }

    private static List<String[]> cases() throws IOException {
        try (InputStream in = RelayBatteryIT.class.getResourceAsStream("/policy/relay-battery.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("\\|", 3))
                    .map(p -> new String[] {p[0].strip(), p[1].strip(), p[2].strip()})
                    .toList();
        }
    }
}
