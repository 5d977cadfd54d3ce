package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Plays each {@code src/test/resources/dialogues/*.smtp} over loopback against an in-process
 * gateway. {@code C:} sends a line with CRLF, {@code W:} writes raw bytes (\r and \n escapes),
 * {@code S:} expects one reply line, where a trailing {@code *} matches any rest of the line.
 */
class DialogueIT {

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
    Stream<DynamicTest> dialogues() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/dialogues").toURI());
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.toString().endsWith(".smtp")).sorted().toList();
        }
        assertTrue(files.size() >= 4, "dialogues missing");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> play(f)));
    }

    private static void play(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String listener = lines.stream().filter(l -> l.startsWith("listener: ")).findFirst()
                .map(l -> l.substring(10).trim()).orElse("internet");
        int port = listener.equals("internal") ? gateway.internal() : gateway.internet();
        try (SmtpClient client = new SmtpClient(port)) {
            String pending = null;
            int number = 0;
            for (String line : lines) {
                number++;
                String where = file.getFileName() + ":" + number;
                if (line.startsWith("C:")) {
                    client.write((line.length() > 3 ? line.substring(3) : "") + "\r\n");
                } else if (line.startsWith("W: ")) {
                    client.write(line.substring(3).replace("\\r", "\r").replace("\\n", "\n"));
                } else if (line.startsWith("S: ")) {
                    if (pending == null) {
                        pending = client.reply();
                        assertNotNull(pending, where + ": connection closed");
                    }
                    int nl = pending.indexOf('\n');
                    String actual = nl < 0 ? pending : pending.substring(0, nl);
                    pending = nl < 0 ? null : pending.substring(nl + 1);
                    String expected = line.substring(3);
                    if (expected.endsWith("*")) {
                        String prefix = expected.substring(0, expected.length() - 1);
                        assertTrue(actual.startsWith(prefix), where + ": expected '" + expected + "', got '" + actual + "'");
                    } else {
                        assertEquals(expected, actual, where);
                    }
                }
            }
        }
    }
}
