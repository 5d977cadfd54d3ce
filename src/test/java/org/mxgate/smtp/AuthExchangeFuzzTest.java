package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.mxgate.fuzz.FuzzTargets;
import org.mxgate.fuzz.NameLookups;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;

/**
 * Fuzzes the SASL decoding of an AUTH exchange (RFC 4954, PLAIN and LOGIN): the first input line
 * is the AUTH command's argument, each further line the client's next response, through
 * {@link SessionAuth}, {@link AuthExchange} and {@link SaslResponses} as a session drives them.
 * An exchange ends after at most two responses, with credentials that are exactly what the
 * client encoded, or with one of the standard refusals; and neither a response nor an initial
 * response ever reaches the protocol log ({@link LoggableLine}).
 */
class AuthExchangeFuzzTest {

    private static final Set<Reply> REFUSALS = Set.of(Replies.SYNTAX, Replies.UNKNOWN_MECHANISM, Replies.AUTH_ABORTED,
            Replies.AUTH_FAILED, Replies.AUTH_CANNOT_DECODE);
    private static final Set<String> CHALLENGES = Set.of("", SaslResponses.USERNAME_PROMPT, SaslResponses.PASSWORD_PROMPT);

    @BeforeAll
    static void noNameLookups() {
        NameLookups.forbid();
    }

    @FuzzTest(maxDuration = FuzzTargets.TIME_BOX)
    @DictionaryEntries({"PLAIN", "LOGIN", " ", "\\x0A", "\\x0D\\x0A", "*", "=", "AA", "==", "YWxpY2U=", "AGFsaWNlAHNlY3JldA=="})
    void exchange(byte[] input) {
        // Lines as the line decoder hands them on: split at LF, a CR before it dropped.
        List<String> lines = new ArrayList<>();
        for (String line : new String(input, StandardCharsets.UTF_8).split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        String authLine = "AUTH " + lines.get(0);
        String argument = CommandParser.parse(authLine).argument();
        checkAuthLineNotLogged(authLine, argument);
        SessionAuth auth = new SessionAuth();
        List<String> responses = new ArrayList<>();
        String[] words = argument.split(" ", -1);
        if (words.length == 2 && AuthExchange.of(words[0]).isPresent()) {
            responses.add(words[1]);
        }
        // RFC 4954 4 and RFC 5321 2.4: a mechanism name is case-insensitive in ASCII only.
        AuthExchange.of(words[0]).ifPresent(exchange -> assertTrue(
                Set.of("PLAIN", "LOGIN").contains(CommandParserFuzzTest.asciiUpperCase(words[0])), words[0]));
        Checked<Step> step = auth.start(argument);
        int next = 1;
        while (!step.isRefused() && auth.inExchange()) {
            Reply challenge = step.value().replies().get(0);
            assertEquals(334, challenge.code());
            assertTrue(CHALLENGES.contains(challenge.text()), challenge::toString);
            if (next == lines.size()) {
                return;
            }
            String response = lines.get(next++);
            assertEquals(SaslResponses.isCancel(response) ? "*" : "(AUTH response not logged)",
                    LoggableLine.of(response, true), "a SASL response reached the log");
            responses.add(response);
            step = auth.respond(response);
        }
        assertTrue(responses.size() <= 2, "an exchange took more than two responses");
        if (step.isRefused()) {
            assertTrue(REFUSALS.contains(step.refusal()), step.refusal()::toString);
            assertTrue(!responses.contains("*") || step.refusal().equals(Replies.AUTH_ABORTED), "a cancel not taken");
            return;
        }
        Effect.Authenticate done = assertInstanceOf(Effect.Authenticate.class, step.value().effect());
        checkCredentials(words[0], responses, done);
    }

    /** The credentials are what the client encoded: PLAIN's one response, or LOGIN's user name and password. */
    private static void checkCredentials(String mechanism, List<String> responses, Effect.Authenticate done) {
        assertFalse(done.login().isEmpty(), "an empty login");
        byte[] login = done.login().getBytes(StandardCharsets.UTF_8);
        byte[] password = new String(done.password()).getBytes(StandardCharsets.UTF_8);
        if (mechanism.equalsIgnoreCase("LOGIN")) {
            assertEquals(2, responses.size());
            assertArrayEquals(Base64.getDecoder().decode(responses.get(0)), login);
            assertArrayEquals(Base64.getDecoder().decode(responses.get(1)), password);
        } else {
            assertEquals(1, responses.size());
            byte[] sent = Base64.getDecoder().decode(responses.get(0));
            // RFC 4616 2: [authzid] NUL authcid NUL passwd, the authzid empty or the login itself.
            boolean withAuthzid = sent.length > 0 && sent[0] != 0;
            assertArrayEquals(plain(withAuthzid ? login : new byte[0], login, password), sent);
        }
        assertEquals("Authenticate[" + done.login() + "]", done.toString(), "toString shows more than the login");
    }

    private static byte[] plain(byte[] authzid, byte[] login, byte[] password) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(authzid);
        out.write(0);
        out.writeBytes(login);
        out.write(0);
        out.writeBytes(password);
        return out.toByteArray();
    }

    /** An AUTH line with an initial response is logged as a part of the line that stops before the response. */
    private static void checkAuthLineNotLogged(String line, String argument) {
        String[] words = argument.split(" ", -1);
        if (words.length != 2 || words[1].isEmpty() || words[1].equals("=") || words[1].equals("*")) {
            return;
        }
        String shown = LoggableLine.of(line, false).replace(" (initial response not logged)", "")
                .replace(" (argument not logged)", "");
        assertTrue(line.startsWith(shown) && shown.length() <= line.lastIndexOf(words[1]),
                () -> "an initial response reached the log: " + LoggableLine.of(line, false));
    }
}
