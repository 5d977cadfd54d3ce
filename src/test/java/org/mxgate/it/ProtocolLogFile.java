package org.mxgate.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the tests' protocol log (logback-test.xml writes it to target/protocol-test.log). */
final class ProtocolLogFile {

    static final Path LOG = Path.of("target/protocol-test.log");

    private ProtocolLogFile() {
    }

    /** The session whose MAIL named this (unique) sender, waiting up to 5 s for the line; null if none. */
    static String sessionOf(String sender) throws IOException, InterruptedException {
        Pattern p = Pattern.compile("\"session\":\"([a-z0-9]+)\".*MAIL FROM:<" + Pattern.quote(sender) + ">");
        for (int i = 0; i < 50; i++) {
            for (String line : Files.readAllLines(LOG, StandardCharsets.UTF_8)) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
            Thread.sleep(100);
        }
        return null;
    }

    static List<String> linesOf(String session) throws IOException {
        return Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"session\":\"" + session + "\"")).toList();
    }
}
