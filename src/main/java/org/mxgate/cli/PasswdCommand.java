package org.mxgate.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.mxgate.auth.PasswordHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mxgate passwd USER}: reads a password (twice from a terminal, one line from a pipe) and
 * prints the users.yml line holding its bcrypt hash. Never echoes, prints or logs the password.
 */
@Command(name = "passwd", description = "Print a users.yml line with a bcrypt hash of a password.")
final class PasswdCommand implements Callable<Integer> {

    /** How the password is asked for at a terminal: {@link Console#readPassword}, without echo. */
    @FunctionalInterface
    interface Terminal {
        char[] readPassword(String prompt);
    }

    // Plain YAML scalars that need no quotes; a leading '@', '-' or '.' could start an indicator or marker.
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9@._+-]*");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USER", description = "the login, usually the user's address")
    String user;

    @Option(names = "--cost", paramLabel = "N", defaultValue = "" + PasswordHash.DEFAULT_COST,
            description = "bcrypt cost, 4 to 31; each step doubles the work (default: ${DEFAULT-VALUE})")
    int cost;

    private final Terminal terminal;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    PasswdCommand() {
        this(terminal(System.console()), System.in, System.out, System.err);
    }

    /** With a null terminal the password is one line of {@code in}, as from {@code echo secret | mxgate passwd}. */
    PasswdCommand(Terminal terminal, InputStream in, PrintStream out, PrintStream err) {
        this.terminal = terminal;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        if (cost < 4 || cost > 31) {
            throw new ParameterException(spec.commandLine(), "--cost must be from 4 to 31, not " + cost);
        }
        if (user.isEmpty()) {
            err.println("passwd: the user name is empty");
            return 1;
        }
        char[] password = terminal != null ? askTwice() : firstLine(in);
        if (password == null) {
            return 1;
        }
        try {
            if (password.length == 0) {
                err.println("passwd: empty password refused");
                return 1;
            }
            out.println(yamlKey(user) + ": { password: \"" + PasswordHash.create(password, cost) + "\" }");
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** The password typed twice, or null (after saying why) when the two differ or input ended. */
    private char[] askTwice() {
        char[] first = terminal.readPassword("Password: ");
        if (first == null) {
            err.println("passwd: no password read");
            return null;
        }
        char[] again = terminal.readPassword("Again: ");
        try {
            if (again == null || !Arrays.equals(first, again)) {
                err.println("passwd: the passwords do not match");
                Arrays.fill(first, '\0');
                return null;
            }
            return first;
        } finally {
            if (again != null) {
                Arrays.fill(again, '\0');
            }
        }
    }

    /** One line of UTF-8 without its line end, read into a char array so no String copy of it lingers. */
    static char[] firstLine(InputStream in) throws IOException {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] buffer = new char[64];
        int length = 0;
        for (int c = reader.read(); c != -1 && c != '\n'; c = reader.read()) {
            if (length == buffer.length) {
                char[] bigger = Arrays.copyOf(buffer, length * 2);
                Arrays.fill(buffer, '\0');
                buffer = bigger;
            }
            buffer[length++] = (char) c;
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        char[] line = Arrays.copyOf(buffer, length);
        Arrays.fill(buffer, '\0');
        return line;
    }

    /** The user as a YAML mapping key: plain when it can be, else double-quoted with escapes. */
    static String yamlKey(String user) {
        if (PLAIN_KEY.matcher(user).matches()) {
            return user;
        }
        StringBuilder quoted = new StringBuilder("\"");
        user.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format("\\x%02x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }

    private static Terminal terminal(Console console) {
        return console != null && isTerminal(console) ? prompt -> console.readPassword("%s", prompt) : null;
    }

    /**
     * Java 22 to 24 give a Console even when standard input is a pipe, and only Console.isTerminal
     * (Java 22) tells the two apart; before Java 22 a Console exists only for a terminal.
     */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
