package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * swaks, the admin's SMTP test tool, against the internet listener: plain, pipelined and 8-bit
 * dialogues are delivered; an internationalised address without SMTPUTF8 and a relay attempt
 * are refused with their codes and reach no backend.
 */
@Tag("interop")
class SwaksInteropIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private RecordingBackend backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(InteropTools.missing("swaks") == null, InteropTools.missing("swaks"));
        backend = new RecordingBackend();
        gateway = TestGateway.start(List.of(backend.port()));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void plainMessageIsDelivered() throws Exception {
        InteropTools.Output out = swaks("--to", "user@example.test");
        assertEquals(0, out.exitCode(), out.text());
        assertTrue(out.text().contains("<-  250 2.0.0 Ok: queued as"), out.text());
        assertEquals(1, backend.messages().size());
    }

    @Test
    void pipelinedDialogueIsDelivered() throws Exception {
        InteropTools.Output out = swaks("--to", "user@example.test,other@example.test", "--pipeline");
        assertEquals(0, out.exitCode(), out.text());
        assertTrue(out.text().contains("250-PIPELINING"), out.text());
        assertEquals(1, backend.messages().size());
        assertEquals(List.of("user@example.test", "other@example.test"), backend.messages().get(0).recipients());
    }

    @Test
    void eightBitBodyPassesUnchanged() throws Exception {
        byte[] data = ("From: a@client.test\r\nTo: user@example.test\r\nSubject: 8bit\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "d\u00e9j\u00e0 vu \u2014 caf\u00e9\r\n").getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("eight-bit.eml"), data);
        InteropTools.Output out = swaks("--to", "user@example.test", "--data", "@" + file);
        assertEquals(0, out.exitCode(), out.text());
        assertTrue(out.text().contains("250-8BITMIME"), out.text());
        // What follows our Received header is the file, plus the line ending swaks always puts before its dot.
        String received = new String(backend.messages().get(0).bytes(), StandardCharsets.UTF_8);
        String afterOurHeader = received.substring(received.indexOf("From: a@client.test"));
        assertEquals(new String(data, StandardCharsets.UTF_8) + "\r\n", afterOurHeader);
    }

    @Test
    void internationalisedAddressWithoutSmtputf8IsRefused() throws Exception {
        // swaks 20201014 cannot add the SMTPUTF8 parameter; with it the address passes
        // (RelayDeliveryIT, PostfixBackendInteropIT). Without it, RFC 6531 3.4 asks for 553 5.6.7.
        InteropTools.Output out = swaks("--to", "\u7528\u6237@example.test");
        assertNotEquals(0, out.exitCode(), out.text());
        assertTrue(out.text().contains("553 5.6.7"), out.text());
        assertEquals(0, backend.mailCommands());
    }

    @Test
    void relayAttemptIsRefused() throws Exception {
        InteropTools.Output out = swaks("--to", "victim@elsewhere.test");
        assertNotEquals(0, out.exitCode(), out.text());
        assertTrue(out.text().contains("554 5.7.1 <victim@elsewhere.test>: Relay access denied"), out.text());
        assertEquals(0, backend.mailCommands());
    }

    private InteropTools.Output swaks(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + gateway.internet(),
                "--from", "a@client.test", "--helo", "client.test", "--timeout", "20"));
        command.addAll(List.of(options));
        return InteropTools.run(LIMIT, command.toArray(String[]::new));
    }
}
