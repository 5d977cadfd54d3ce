package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CommandParser: verbs are case-insensitive and anything unknown is UNKNOWN; MAIL and RCPT
 * arguments split into the bracketed path and upper-cased ESMTP parameters, and any syntax
 * error yields no argument at all (SmtpSessionTest checks which reply the client then gets).
 */
class CommandParserTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "EHLO mx.example.test         | EHLO     | mx.example.test",
        "ehlo mx.example.test         | EHLO     | mx.example.test",
        "HeLo client                  | HELO     | client",
        "MAIL FROM:<a@example.test>   | MAIL     | FROM:<a@example.test>",
        "mail from:<a@example.test>   | MAIL     | from:<a@example.test>",
        "RCPT   TO:<a@example.test>   | RCPT     | TO:<a@example.test>",
        "rcpt TO:<a@example.test>     | RCPT     | TO:<a@example.test>",
        "DATA                         | DATA     | ''",
        "data                         | DATA     | ''",
        "RSET                         | RSET     | ''",
        "NOOP                         | NOOP     | ''",
        "QUIT                         | QUIT     | ''",
        "quit                         | QUIT     | ''",
        "VRFY postmaster              | VRFY     | postmaster",
        "EXPN staff                   | EXPN     | staff",
        "HELP                         | HELP     | ''",
        "StartTLS                     | STARTTLS | ''",
        "AUTH PLAIN AGFiYwBkZWY=      | AUTH     | PLAIN AGFiYwBkZWY=",
        "BDAT 100 LAST                | BDAT     | 100 LAST",
        "XYZZY                        | UNKNOWN  | ''",
        "XCLIENT ADDR=192.0.2.1       | UNKNOWN  | ADDR=192.0.2.1",
        "UNKNOWN                      | UNKNOWN  | ''",
        "MAILFROM:<a@example.test>    | UNKNOWN  | ''",
        "''                           | UNKNOWN  | ''",
        // RFC 5321 2.4: case-insensitive in ASCII only; toUpperCase would make these MAIL and RSET
        // (found by CommandParserFuzzTest's verb property).
        "ma\u0131l FROM:<a@example.test> | UNKNOWN | FROM:<a@example.test>",
        "R\u017fET                     | UNKNOWN  | ''",
    })
    void parsesVerbCaseInsensitively(String line, Verb verb, String argument) {
        assertEquals(new Command(verb, argument), CommandParser.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOOP ", "NOOP   ", "QUIT \t"})
    void trailingBlanksAreNoArgument(String line) {
        assertEquals("", CommandParser.parse(line).argument());
    }

    static Stream<Arguments> pathArguments() {
        return Stream.of(
                Arguments.of("FROM:<a@example.test>", "FROM", "<a@example.test>", Map.of()),
                Arguments.of("from:<a@example.test>", "FROM", "<a@example.test>", Map.of()),
                Arguments.of("To:<a@example.test>", "TO", "<a@example.test>", Map.of()),
                Arguments.of("FROM: <a@example.test>", "FROM", "<a@example.test>", Map.of()),
                Arguments.of("FROM:<>", "FROM", "<>", Map.of()),
                Arguments.of("FROM:<> SIZE=1000 BODY=8BITMIME", "FROM", "<>", ordered("SIZE", "1000", "BODY", "8BITMIME")),
                Arguments.of("FROM:<a@example.test> size=1000 body=8bitmime", "FROM", "<a@example.test>",
                        ordered("SIZE", "1000", "BODY", "8bitmime")),
                Arguments.of("FROM:<a@example.test>  SMTPUTF8   SIZE=1", "FROM", "<a@example.test>",
                        ordered("SMTPUTF8", "", "SIZE", "1")),
                Arguments.of("TO:<a@example.test> NOTIFY=SUCCESS,FAILURE", "TO", "<a@example.test>",
                        ordered("NOTIFY", "SUCCESS,FAILURE")),
                Arguments.of("FROM:<a@example.test> ENVID=a=b", "FROM", "<a@example.test>", ordered("ENVID", "a=b")),
                Arguments.of("TO:<@relay.test:a@example.test>", "TO", "<@relay.test:a@example.test>", Map.of()),
                Arguments.of("TO:<\"a>b\"@example.test>", "TO", "<\"a>b\"@example.test>", Map.of()),
                Arguments.of("TO:<\"a\\\">\"@example.test> X=1", "TO", "<\"a\\\">\"@example.test>", ordered("X", "1")),
                Arguments.of("TO:<postmaster>", "TO", "<postmaster>", Map.of()),
                // Keys are upper-cased in ASCII only: a long s does not make SIZE.
                Arguments.of("FROM:<a@example.test> \u017fize=10", "FROM", "<a@example.test>", ordered("\u017fIZE", "10")));
    }

    @ParameterizedTest
    @MethodSource("pathArguments")
    void splitsPathAndParameters(String argument, String keyword, String path, Map<String, String> parameters) {
        PathArgument parsed = CommandParser.parsePathArgument(argument, keyword).orElseThrow();
        assertEquals(path, parsed.path());
        assertEquals(parameters, parsed.parameters());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                       | FROM",
        "FROM:                                    | FROM",
        "FROM                                     | FROM",
        "FROM<a@example.test>                     | FROM",
        "FROM :<a@example.test>                   | FROM",
        "FROM:a@example.test                      | FROM",
        "FROM:<a@example.test                     | FROM",
        "FROM:<a@example.test>SIZE=1              | FROM",
        "FROM:<a@example.test>>                   | FROM",
        "FROM:<a@example.test> SIZE=1 size=2      | FROM",
        "FROM:<a@example.test> =1                 | FROM",
        "FROM:<\"a>@example.test                  | FROM",
        "TO:<a@example.test>                      | FROM",
        "FROM:<a@example.test>                    | TO",
        "FROMAGE:<a@example.test>                 | FROM",
    })
    void syntaxErrorGivesNoArgument(String argument, String keyword) {
        assertEquals(Optional.empty(), CommandParser.parsePathArgument(argument, keyword), argument);
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    // RFC 3461 4: "+" and two upper-case hex digits stand for one ASCII character.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<>                        | <>",
        "alice@example.test        | alice@example.test",
        "alice+2Bshop@example.test | alice+shop@example.test",
        "a+3Db@example.test        | a=b@example.test",
        "+3C+3E                    | <>",
    })
    void decodesXtext(String xtext, String decoded) {
        assertEquals(Optional.of(decoded), CommandParser.decodeXtext(xtext));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=b", "a+2b", "a+", "a+2", "a+zz", "a b", "caf\u00e9", "a+C3+A9", "a\u007f"})
    void refusesWhatIsNoXtext(String value) {
        assertEquals(Optional.empty(), CommandParser.decodeXtext(value));
    }
}
