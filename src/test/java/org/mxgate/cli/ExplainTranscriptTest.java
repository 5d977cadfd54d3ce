package org.mxgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Golden transcripts (Postfix's smtpd_check style): each file in src/test/resources/policy/explain
 * holds the arguments of one {@code mxgate explain} and its whole expected output, played
 * against the configuration in src/test/resources/policy/conf.
 */
class ExplainTranscriptTest {

    private static final Path DIR = Path.of("src/test/resources/policy");

    @TestFactory
    Stream<DynamicTest> transcripts() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR.resolve("explain"))) {
            files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String head = text.substring(0, text.indexOf("\n---\n"));
            String expected = text.substring(text.indexOf("\n---\n") + 5);
            String args = head.lines().filter(l -> l.startsWith("args: ")).findFirst().orElseThrow().substring(6);
            List<String> argv = new ArrayList<>(List.of("explain", "--config", DIR.resolve("conf/mxgate.yml").toString()));
            argv.addAll(Arrays.asList(args.split(" ")));
            assertEquals(expected, run(argv.toArray(String[]::new)));
        }));
    }

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new MxgateCommand(config -> {
                throw new AssertionError("explain must not start a gateway");
            })).execute(args);
            assertEquals(0, code);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
