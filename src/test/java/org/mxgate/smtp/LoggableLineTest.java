package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LoggableLine: what the protocol log shows of a client line. Whatever may carry a password (a
 * response inside an AUTH exchange, an initial response, an AUTH argument that is no mechanism
 * name) is replaced; bytes that are not UTF-8 show as \xNN.
 */
class LoggableLineTest {

    private static final String CREDENTIALS = Base64.getEncoder()
            .encodeToString("\0alice\0s3cret".getBytes(StandardCharsets.UTF_8));

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("MAIL FROM:<a@client.test>", false, true, "MAIL FROM:<a@client.test>"),
                Arguments.of("AUTH LOGIN", false, true, "AUTH LOGIN"),
                Arguments.of("auth plain", false, true, "auth plain"),
                Arguments.of("AUTH CRAM-MD5", false, true, "AUTH CRAM-MD5"),
                Arguments.of("AUTH PLAIN " + CREDENTIALS, false, true, "AUTH PLAIN (initial response not logged)"),
                Arguments.of("AUTH LOGIN Ym9i extra", false, true, "AUTH LOGIN (initial response not logged)"),
                // RFC 4422 3.1: a mechanism name is upper case; anything else may be a response sent alone.
                Arguments.of("AUTH " + CREDENTIALS, false, true, "AUTH (argument not logged)"),
                Arguments.of("AUTH cram-md5", false, true, "AUTH (argument not logged)"),
                Arguments.of("AUTH " + "A".repeat(21), false, true, "AUTH (argument not logged)"),
                Arguments.of(CREDENTIALS, true, true, "(AUTH response not logged)"),
                Arguments.of("QUIT", true, true, "(AUTH response not logged)"),
                Arguments.of("*", true, true, "*"),
                Arguments.of("MAIL FROM:<j\u00f6rg@client.test>", false, false, "MAIL FROM:<j\\xF6rg@client.test>"),
                Arguments.of("AUTH PLAIN \u00ff" + CREDENTIALS, false, false, "AUTH PLAIN (initial response not logged)"),
                Arguments.of("s3cr\u00e9t", true, false, "(AUTH response not logged)"));
    }

    @ParameterizedTest(name = "[{index}] {0} (in exchange: {1}, UTF-8: {2})")
    @MethodSource("lines")
    void showsOnlyWhatMayBeLogged(String text, boolean inAuthExchange, boolean isUtf8, String logged) {
        assertEquals(logged, LoggableLine.of(new SmtpInput.Line(text, isUtf8), inAuthExchange));
        if (isUtf8) {
            assertEquals(logged, LoggableLine.of(text, inAuthExchange));
        }
    }
}
