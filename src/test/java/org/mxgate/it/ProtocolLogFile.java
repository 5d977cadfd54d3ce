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
import org.awaitility.core.ConditionTimeoutException;

/** Reads the tests' protocol log (logback-test.xml writes it to target/protocol-test.log). */
final class ProtocolLogFile {

    static final Path LOG = Path.of("target/protocol-test.log");

    private ProtocolLogFile() {
    }

    /** The session whose MAIL named this (unique) sender, waiting up to 5 s for the line; null if none. */
    static String sessionOf(String sender) {
        Pattern p = Pattern.compile("\"session\":\"([a-z0-9]+)\".*MAIL FROM:<" + Pattern.quote(sender) + ">");
        try {
            return await().atMost(Duration.ofSeconds(5)).until(() -> find(p), Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            return null;
        }
    }

    private static String find(Pattern p) throws IOException {
        for (String line : Files.readAllLines(LOG, StandardCharsets.UTF_8)) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    static List<String> linesOf(String session) throws IOException {
        return Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"session\":\"" + session + "\"")).toList();
    }
}
