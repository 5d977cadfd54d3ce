package org.mxgate.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reply's wire form (RFC 5321 4.2: {@code code-} on every line but the last), the RFC 3463
 * enhanced status split off backend replies, and the fixed texts of the Replies catalogue that
 * admins grep for.
 */
class ReplyTest {

    @Test
    void singleLineWithoutEnhancedStatus() {
        assertEquals("220 mx.example.test ESMTP\r\n", Reply.of(220, null, "mx.example.test ESMTP").wire());
    }

    @Test
    void singleLineWithEnhancedStatus() {
        assertEquals("250 2.0.0 Ok\r\n", Reply.of(250, "2.0.0", "Ok").wire());
    }

    @Test
    void multiLineUsesHyphenOnAllButTheLastLine() {
        Reply ehlo = new Reply(250, null, List.of("mx.example.test", "PIPELINING", "SMTPUTF8"));
        assertEquals("250-mx.example.test\r\n250-PIPELINING\r\n250 SMTPUTF8\r\n", ehlo.wire());
    }

    @Test
    void multiLineRepeatsTheEnhancedStatusOnEveryLine() {
        Reply reply = new Reply(550, "5.7.1", List.of("first", "second", "third"));
        assertEquals("550-5.7.1 first\r\n550-5.7.1 second\r\n550 5.7.1 third\r\n", reply.wire());
        assertEquals("first", reply.text());
        assertEquals("550 5.7.1 first", reply.toString());
    }

    @Test
    void wireBytesAreUtf8() {
        Reply reply = Reply.of(250, "2.1.5", "<josé@example.test> Ok");
        assertArrayEquals("250 2.1.5 <josé@example.test> Ok\r\n".getBytes(StandardCharsets.UTF_8), reply.wireBytes());
    }

    @Test
    void withTextKeepsCodeAndStatus() {
        Reply reply = Reply.of(554, "5.7.1", "Relay access denied").withText("<a@b.test>: Relay access denied");
        assertEquals("554 5.7.1 <a@b.test>: Relay access denied\r\n", reply.wire());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 199, 600, 999, -250})
    void refusesCodeOutsideTwoToFiveHundreds(int code) {
        assertThrows(IllegalArgumentException.class, () -> Reply.of(code, null, "x"));
    }

    @Test
    void refusesReplyWithoutLines() {
        assertThrows(IllegalArgumentException.class, () -> new Reply(250, null, List.of()));
    }

    @ParameterizedTest
    @CsvSource({
        "200, true,  false, false",
        "250, true,  false, false",
        "354, true,  false, false",
        "399, true,  false, false",
        "400, false, true,  false",
        "421, false, true,  false",
        "451, false, true,  false",
        "499, false, true,  false",
        "500, false, false, true",
        "554, false, false, true",
        "599, false, false, true",
    })
    void classifiesByFirstDigit(int code, boolean positive, boolean transientFailure, boolean permanent) {
        Reply reply = Reply.of(code, null, "x");
        assertEquals(positive, reply.isPositive());
        assertEquals(transientFailure, reply.isTransient());
        assertEquals(permanent, reply.isPermanent());
    }

    static Stream<Arguments> backendReplies() {
        return Stream.of(
                Arguments.of(250, List.of("2.1.0 Ok"), "2.1.0", List.of("Ok")),
                Arguments.of(250, List.of("2.0.0 Ok: queued as 4AbC"), "2.0.0", List.of("Ok: queued as 4AbC")),
                Arguments.of(550, List.of("5.1.1 <u@example.test>: Recipient address rejected"), "5.1.1",
                        List.of("<u@example.test>: Recipient address rejected")),
                Arguments.of(550, List.of("5.1.10 Null MX"), "5.1.10", List.of("Null MX")),
                Arguments.of(250, List.of("2.0.0 first", "2.0.0 second"), "2.0.0", List.of("first", "second")),
                Arguments.of(451, List.of("4.3.0 first", "4.4.0 other", "plain"), "4.3.0",
                        List.of("first", "4.4.0 other", "plain")),
                Arguments.of(550, List.of("5.7.1"), "5.7.1", List.of("")),
                Arguments.of(220, List.of("mx.example.test ESMTP Postfix"), null, List.of("mx.example.test ESMTP Postfix")),
                Arguments.of(250, List.of("mx.example.test", "PIPELINING", "SIZE 10240000"), null,
                        List.of("mx.example.test", "PIPELINING", "SIZE 10240000")),
                Arguments.of(550, List.of("5.1.1000 too many digits"), null, List.of("5.1.1000 too many digits")),
                Arguments.of(550, List.of("6.0.0 no such class"), null, List.of("6.0.0 no such class")),
                Arguments.of(550, List.of("5.7 too short"), null, List.of("5.7 too short")),
                Arguments.of(550, List.of("5.7.1text"), null, List.of("5.7.1text")),
                Arguments.of(250, List.of(), null, List.of("")));
    }

    @ParameterizedTest
    @MethodSource("backendReplies")
    void parseSplitsOffTheEnhancedStatusOfTheFirstLine(int code, List<String> details, String status, List<String> lines) {
        Reply reply = Reply.parse(code, details);
        assertEquals(code, reply.code());
        assertEquals(status, reply.status());
        assertEquals(lines, reply.lines());
    }

    @Test
    void parsedReplyGoesBackOnTheWireAsItCame() {
        Reply reply = Reply.parse(250, List.of("2.0.0 first", "2.0.0 second"));
        assertEquals("250-2.0.0 first\r\n250 2.0.0 second\r\n", reply.wire());
    }

    @Test
    void catalogueTexts() {
        assertEquals("554 5.7.1 Relay access denied\r\n", Replies.RELAY_DENIED.wire());
        assertEquals("554 5.7.1 <user@foreign.test>: Relay access denied\r\n",
                Replies.relayDenied(new MailAddress("user", "foreign.test")).wire());
        assertEquals("452 4.5.3 Error: too many recipients\r\n", Replies.TOO_MANY_RECIPIENTS.wire());
        assertEquals("550 5.6.11 Error: bare <CR> or <LF> in message content; use <CR><LF>\r\n",
                Replies.BARE_LINE_ENDING.wire());
        assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", Replies.START_DATA.wire());
        assertEquals("500 5.5.6 Error: line too long\r\n", Replies.LINE_TOO_LONG.wire());
        assertEquals("220 mx.example.test ESMTP\r\n", Replies.greeting("mx.example.test").wire());
        assertEquals("421 4.7.0 mx.example.test Error: too many errors\r\n", Replies.tooManyErrors("mx.example.test").wire());
        assertEquals("421 4.4.2 mx.example.test Error: timeout exceeded\r\n", Replies.idleTimeout("mx.example.test").wire());
        assertEquals("451 4.4.1 Error: no backend could take the message, try again later\r\n", Replies.RELAY_FAILED.wire());
        assertNull(Replies.START_DATA.status());
    }

    @Test
    void queuedNamesOurIdAndTheBackendsId() {
        assertEquals("250 2.0.0 Ok: queued as Q1 (backend mx1 4AbC)\r\n", Replies.queued("Q1", "mx1", "4AbC").wire());
        assertEquals("250 2.0.0 Ok: queued as Q1 (backend mx1)\r\n", Replies.queued("Q1", "mx1", null).wire());
    }

    @Test
    void theStatusIsReadAsTheRegularExpressionOfRfc3463WouldReadIt() {
        // The reference: a status at the start, then a space and anything but a line terminator, or nothing.
        java.util.regex.Pattern reference = java.util.regex.Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?: (.*))?$");
        String alphabet = "245.0913 x\u0085\n\u2028\u0663";
        java.util.Random random = new java.util.Random(3463);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder line = new StringBuilder(i % 3 == 0 ? "4.3.1" : "");
            for (int n = random.nextInt(12); n > 0; n--) {
                line.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            java.util.regex.Matcher m = reference.matcher(line);
            assertEquals(m.matches() ? m.group(1).length() : 0, Reply.statusLength(line.toString()), line.toString());
        }
    }
}
