package org.mxgate.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/** Reads the tests' protocol log (logback-test.xml writes it to target/protocol-test.log). */
final class ProtocolLogFile {

    static final Path LOG = Path.of("target/protocol-test.log");

    private ProtocolLogFile() {
    }

    /**
     * The session whose MAIL named this (unique) sender; null if none. The line is written as the
     * command is read, so it is normally there at once; the wait (up to 10 s, each look a read of
     * the whole file) is for a slow disk.
     */
    static String sessionOf(String sender) {
        String command = "MAIL FROM:<" + sender + ">";
        Pattern p = Pattern.compile("\"session\":\"([a-z0-9]+)\".*" + Pattern.quote(command));
        try {
            return await().atMost(Duration.ofSeconds(10)).until(() -> find(command, p), Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            return null;
        }
    }

    private static String find(String command, Pattern p) throws IOException {
        try (Stream<String> lines = Files.lines(LOG, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(command)).map(p::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).findFirst().orElse(null);
        }
    }

    static List<String> linesOf(String session) throws IOException {
        try (Stream<String> lines = Files.lines(LOG, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("\"session\":\"" + session + "\"")).toList();
        }
    }
}
