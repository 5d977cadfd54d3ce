package org.mxgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * The documents' commands are the program's: every {@code bin/mxgate} line in a {@code sh}
 * block of README.md and docs/ parses against the real command line (a renamed option or
 * subcommand fails here, not in an admin's terminal), and every {@code explain} line that
 * states its reply ({@code # => 554 5.7.1}) gives that reply on the shipped configuration.
 */
class GuideCommandsTest {

    private static final Pattern STATED = Pattern.compile("\\s+#\\s*=>\\s*(\\d{3} \\d\\.\\d{1,3}\\.\\d{1,3})\\s*$");

    record Line(Path file, int number, String text) {
        @Override
        public String toString() {
            return file + ":" + number + ": " + text;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedCommandParses() throws IOException {
        return commands().stream().map(line -> DynamicTest.dynamicTest(line.toString(), () -> {
            List<String> args = words(STATED.matcher(line.text()).replaceFirst(""));
            CommandLine command = new CommandLine(new MxgateCommand(config -> {
                throw new AssertionError("parsing only");
            }));
            // Throws on an unknown subcommand or option, or a missing required one.
            command.parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        }));
    }

    @TestFactory
    Stream<DynamicTest> explainLinesGiveTheReplyTheyState() throws IOException {
        List<Line> stated = commands().stream().filter(l -> STATED.matcher(l.text()).find()).toList();
        return stated.stream().map(line -> DynamicTest.dynamicTest(line.toString(), () -> {
            Matcher reply = STATED.matcher(line.text());
            assertTrue(reply.find());
            List<String> args = new ArrayList<>(words(reply.replaceFirst("")));
            assertEquals("explain", args.get(1), "only explain lines state a reply");
            args.addAll(List.of("--config", Path.of("conf/mxgate.yml").toAbsolutePath().toString()));
            String out = run(args.subList(1, args.size()).toArray(String[]::new));
            assertTrue(out.contains("=> " + reply.group(1)), out);
        }));
    }

    @Test
    void theGuideHasCommandsToCheck() throws IOException {
        List<Line> lines = commands();
        assertTrue(lines.stream().anyMatch(l -> l.file().endsWith("operations.md") && STATED.matcher(l.text()).find()),
                "operations.md states explain replies");
        assertFalse(lines.size() < 10, lines.toString());
    }

    /** Each {@code bin/mxgate …} line of a {@code ```sh} block. */
    static List<Line> commands() throws IOException {
        List<Line> lines = new ArrayList<>();
        for (Path file : DocumentLinksTest.documents()) {
            List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
            boolean inShell = false;
            for (int i = 0; i < text.size(); i++) {
                String line = text.get(i).strip();
                if (line.startsWith("```")) {
                    inShell = !inShell && line.equals("```sh");
                } else if (inShell && line.startsWith("bin/mxgate ")) {
                    lines.add(new Line(file, i + 1, line));
                }
            }
        }
        return lines;
    }

    /** Words as the shell splits this simple kind of line: on blanks, quotes kept together, up to a comment. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("'([^']*)'|\"([^\"]*)\"|(\\S+)").matcher(line);
        while (word.find()) {
            if (word.group(3) != null && word.group(3).startsWith("#")) {
                break;
            }
            words.add(word.group(1) != null ? word.group(1) : word.group(2) != null ? word.group(2) : word.group(3));
        }
        return words;
    }

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            new CommandLine(new MxgateCommand(config -> {
                throw new AssertionError("explain must not start a gateway");
            })).execute(args);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
