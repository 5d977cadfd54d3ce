package org.mxgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxgate.auth.PasswordHash;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/** {@code mxgate passwd}: one users.yml line whose hash matches the password, from a pipe or a terminal. */
class PasswdCommandTest {

    private static final Pattern LINE = Pattern.compile("(.+): \\{ password: \"(\\$2y\\$(\\d\\d)\\$[./A-Za-z0-9]{53})\" \\}");

    private record Result(int exitCode, String out, String err) {
        /** The one output line, checked against the users.yml form. */
        Matcher line() {
            String[] lines = out.split("\n", -1);
            assertEquals(2, lines.length, "exactly one line: " + out);
            Matcher m = LINE.matcher(lines[0]);
            assertTrue(m.matches(), lines[0]);
            return m;
        }
    }

    private static Result run(PasswdCommand.Terminal terminal, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PasswdCommand command = new PasswdCommand(terminal, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        CommandLine line = new CommandLine(command);
        line.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = line.execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"), err.toString(StandardCharsets.UTF_8));
    }

    /** A terminal that answers each prompt with the next of the given passwords. */
    private static PasswdCommand.Terminal typing(String... passwords) {
        Deque<String> answers = new ArrayDeque<>(List.of(passwords));
        return prompt -> answers.isEmpty() ? null : answers.poll().toCharArray();
    }

    @Test
    void pipedPasswordGivesOneUsersLineWhoseHashMatches() {
        Result result = run(null, "secret\n", "alice@example.test");
        assertEquals(0, result.exitCode, result.err);
        Matcher m = result.line();
        assertEquals("alice@example.test", m.group(1));
        assertEquals("10", m.group(3), "the default cost");
        assertTrue(PasswordHash.matches(m.group(2), "secret".toCharArray()));
        assertFalse(PasswordHash.matches(m.group(2), "secret\n".toCharArray()), "the line end is not part of it");
        assertEquals("", result.err);
    }

    @Test
    void onlyTheFirstLineIsReadAndACarriageReturnIsDropped() {
        Matcher m = run(null, "pa ss\r\nsecond line\n", "--cost", "4", "bob").line();
        assertTrue(PasswordHash.matches(m.group(2), "pa ss".toCharArray()));
    }

    @Test
    void costOptionIsHonouredAndRangeChecked() {
        Matcher m = run(null, "secret", "--cost", "5", "alice@example.test").line();
        assertEquals("05", m.group(3));
        assertTrue(PasswordHash.matches(m.group(2), "secret".toCharArray()));
        assertEquals(2, run(null, "secret\n", "--cost", "3", "alice").exitCode);
        Result tooHigh = run(null, "secret\n", "--cost", "32", "alice");
        assertEquals(2, tooHigh.exitCode);
        assertTrue(tooHigh.err.contains("--cost must be from 4 to 31"), tooHigh.err);
        assertEquals("", tooHigh.out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "\r\n"})
    void emptyPasswordIsRefused(String stdin) {
        Result result = run(null, stdin, "alice@example.test");
        assertEquals(1, result.exitCode);
        assertEquals("", result.out);
        assertTrue(result.err.contains("empty password"), result.err);
    }

    @Test
    void terminalAsksTwiceAndRefusesAMismatch() {
        Matcher m = run(typing("s3cret", "s3cret"), "ignored\n", "--cost", "4", "alice@example.test").line();
        assertTrue(PasswordHash.matches(m.group(2), "s3cret".toCharArray()));

        Result mismatch = run(typing("s3cret", "s3creT"), "", "--cost", "4", "alice@example.test");
        assertEquals(1, mismatch.exitCode);
        assertEquals("", mismatch.out);
        assertTrue(mismatch.err.contains("do not match"), mismatch.err);

        Result empty = run(typing("", ""), "", "--cost", "4", "alice@example.test");
        assertEquals(1, empty.exitCode);
        assertTrue(empty.err.contains("empty password"), empty.err);

        assertEquals(1, run(typing(), "", "alice@example.test").exitCode, "end of input at the prompt");
    }

    @Test
    void userThatYamlCannotTakePlainIsQuoted() {
        Matcher m = run(null, "secret\n", "--cost", "4", "alice smith").line();
        assertEquals("\"alice smith\"", m.group(1));
        assertEquals("alice.smith+tag@example-1.test", PasswdCommand.yamlKey("alice.smith+tag@example-1.test"));
        assertEquals("\"@example.test\"", PasswdCommand.yamlKey("@example.test"));
        assertEquals("\"say \\\"hi\\\" \\\\ x\"", PasswdCommand.yamlKey("say \"hi\" \\ x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.test", "alice smith", "a:b", "@example.test", "-dash", "...", "#x",
        "say \"hi\" \\ x", "tab\there", "j\u00fcrgen@example.test", "{x}", "a, b"})
    void printedLineParsesAsYamlWithTheUserAsKey(String user) {
        // "--" ends the options, so a user such as "-dash" is not taken for one.
        Result result = run(null, "secret\n", "--cost", "4", "--", user);
        assertEquals(0, result.exitCode, result.err);
        Map<String, Map<String, String>> parsed = new Yaml().load(result.out);
        assertEquals(List.of(user), List.copyOf(parsed.keySet()));
        assertTrue(PasswordHash.matches(parsed.get(user).get("password"), "secret".toCharArray()));
    }

    @Test
    void emptyUserIsRefused() {
        assertEquals(1, run(null, "secret\n", "").exitCode);
    }

    @Test
    void registeredUnderMxgate() {
        CommandLine mxgate = new CommandLine(new MxgateCommand(config -> {
            throw new AssertionError("passwd must not start a gateway");
        }));
        assertTrue(mxgate.getSubcommands().containsKey("passwd"));
    }
}
