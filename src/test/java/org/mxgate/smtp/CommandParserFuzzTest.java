package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.mxgate.fuzz.FuzzTargets;
import org.mxgate.fuzz.NameLookups;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Reply;

/**
 * Fuzzes one command line through what a session does with it before any policy: the verb and
 * argument ({@link CommandParser#parse}), MAIL and RCPT arguments ({@link EnvelopeParser},
 * {@link MailParameters}) and xtext. Nothing throws; the verb is the first word in ASCII case;
 * a path argument, written out again, parses the same; an envelope keeps its limits; a refusal
 * is a 5xx with an enhanced status.
 */
class CommandParserFuzzTest {

    private static final long MAX_SIZE = 10_000;

    @BeforeAll
    static void noNameLookups() {
        NameLookups.forbid();
    }

    @FuzzTest(maxDuration = FuzzTargets.TIME_BOX)
    @DictionaryEntries({"MAIL ", "RCPT ", "FROM:<", "TO:<", ">", "@", "\\x22", "\\x5C", " SIZE=", " BODY=", "8BITMIME", " SMTPUTF8",
        " AUTH=", "+40", "<>", "[IPv6:", "::", "[192.0.2.1]", "postmaster", "@relay.test:", ".", "\u00f6"})
    void commandLine(byte[] input) {
        String line = new String(input, StandardCharsets.UTF_8);
        boolean isUtf8 = isUtf8(input);
        Command command = CommandParser.parse(line);
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        // RFC 5321 2.4: verbs are case-insensitive in ASCII, and nothing else names one.
        if (command.verb() != Verb.UNKNOWN) {
            assertEquals(command.verb().name(), asciiUpperCase(word), "the verb is not the first word");
            assertEquals(command, CommandParser.parse(command.verb() + (command.argument().isEmpty() ? "" : " "
                    + command.argument())), "the command written out again parses otherwise");
        }
        assertEquals(command.argument().strip(), command.argument());
        for (String keyword : new String[] {"FROM", "TO"}) {
            CommandParser.parsePathArgument(command.argument(), keyword).ifPresent(p -> {
                checkPathArgument(p, keyword);
                // RFC 5321 2.4: keywords are case-insensitive in ASCII only ("\u017Fize" is no SIZE).
                p.parameters().keySet().forEach(key -> assertTrue(asciiUpperCase(command.argument()).contains(key),
                        () -> "parameter " + key + " is not in " + command.argument()));
            });
        }
        for (boolean authOffered : new boolean[] {false, true}) {
            checkEnvelope(EnvelopeParser.mailFrom(command.argument(), isUtf8, authOffered, MAX_SIZE), command.argument(),
                    isUtf8);
        }
        for (boolean smtputf8 : new boolean[] {false, true}) {
            Checked<MailAddress> recipient = EnvelopeParser.rcptTo(command.argument(), isUtf8, smtputf8);
            if (recipient.isRefused()) {
                checkRefusal(recipient.refusal());
            } else {
                checkAddress(recipient.value(), smtputf8, isUtf8);
                assertFalse(recipient.value().isNullSender(), "<> as a recipient");
            }
        }
        checkXtext(command.argument());
    }

    private static void checkPathArgument(PathArgument argument, String keyword) {
        String path = argument.path();
        assertTrue(path.startsWith("<") && path.endsWith(">"), path);
        StringBuilder again = new StringBuilder(keyword).append(':').append(path);
        for (Map.Entry<String, String> p : argument.parameters().entrySet()) {
            String key = p.getKey();
            assertTrue(!key.isEmpty() && key.indexOf(' ') < 0 && key.indexOf('=') < 0, "parameter key " + key);
            assertEquals(asciiUpperCase(key), key, "a parameter key not in upper case");
            assertTrue(p.getValue().indexOf(' ') < 0, "parameter value " + p.getValue());
            // Always with "=": a key may end in a character that strip() would take for a blank.
            again.append(' ').append(key).append('=').append(p.getValue());
        }
        assertEquals(Optional.of(argument), CommandParser.parsePathArgument(again.toString(), keyword),
                "the argument written out again parses otherwise");
    }

    private static void checkEnvelope(Checked<Envelope> envelope, String argument, boolean isUtf8) {
        if (envelope.isRefused()) {
            checkRefusal(envelope.refusal());
            return;
        }
        Envelope e = envelope.value();
        assertTrue(e.declaredSize() <= MAX_SIZE, "a declared size over the limit was taken");
        assertTrue(e.body() == null || e.body().equals("7BIT") || e.body().equals("8BITMIME"), "BODY=" + e.body());
        assertTrue(e.body() == null || asciiUpperCase(argument).contains("BODY=" + e.body()), "BODY=" + e.body());
        checkAddress(e.sender(), e.smtputf8(), isUtf8);
        assertFalse(e.sender().isBarePostmaster(), "<postmaster> as a sender");
    }

    private static void checkAddress(MailAddress address, boolean smtputf8, boolean isUtf8) {
        assertTrue(isUtf8, "an address from a line that is not UTF-8 was taken");
        assertTrue(smtputf8 || address.isAscii(), "a non-ASCII address without SMTPUTF8");
        assertEquals(Optional.of(address), MailAddress.parsePath(address.path()), "the path written out parses otherwise");
    }

    private static void checkRefusal(Reply refusal) {
        assertTrue(refusal.code() >= 500 && refusal.code() < 600, refusal::toString);
        assertTrue(refusal.status() != null && refusal.status().startsWith("5."), refusal::toString);
    }

    /** RFC 3461 4: whatever decodes, encoded again the plain way, decodes the same; only ASCII comes out. */
    private static void checkXtext(String argument) {
        for (String word : argument.split("[ =]")) {
            Optional<String> decoded = CommandParser.decodeXtext(word);
            if (decoded.isEmpty()) {
                continue;
            }
            StringBuilder encoded = new StringBuilder();
            for (char c : decoded.get().toCharArray()) {
                assertTrue(c < 0x80, "xtext decoded to a non-ASCII character");
                encoded.append(c > ' ' && c < '~' + 1 && c != '+' && c != '=' ? String.valueOf(c)
                        : String.format("+%02X", (int) c));
            }
            assertEquals(decoded, CommandParser.decodeXtext(encoded.toString()));
        }
    }

    static String asciiUpperCase(String s) {
        StringBuilder upper = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            upper.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return upper.toString();
    }

    private static boolean isUtf8(byte[] input) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(input));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
