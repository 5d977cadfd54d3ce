package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxgate.mail.Replies;

/**
 * MailParameters: only SIZE, BODY, SMTPUTF8 and, where AUTH is offered, AUTH= pass, each with a
 * valid value; anything else is 555 5.5.4 and a bad value is 501 5.5.4. The parameters are read
 * as CommandParser splits a real MAIL argument.
 */
class MailParametersTest {

    private static Checked<MailParameters> values(long size, String body, boolean smtputf8) {
        return Checked.of(new MailParameters(size, body, smtputf8));
    }

    static Stream<Arguments> parameters() {
        Checked<MailParameters> none = values(-1, null, false);
        return Stream.of(
                Arguments.of("", false, none),
                Arguments.of("SIZE=0", false, values(0, null, false)),
                Arguments.of("size=500", false, values(500, null, false)),
                Arguments.of("SIZE=999999999999999999", false, values(999_999_999_999_999_999L, null, false)),
                // RFC 1870 6: up to 20 digits are valid, but past 18 a long cannot hold them.
                Arguments.of("SIZE=1234567890123456789", false, Checked.refused(Replies.SYNTAX)),
                Arguments.of("SIZE=", false, Checked.refused(Replies.SYNTAX)),
                Arguments.of("SIZE", false, Checked.refused(Replies.SYNTAX)),
                Arguments.of("SIZE=-1", false, Checked.refused(Replies.SYNTAX)),
                Arguments.of("SIZE=big", false, Checked.refused(Replies.SYNTAX)),
                // Digits of another script would pass Long.parseLong; the parameter takes ASCII digits only.
                Arguments.of("SIZE=\u0661\u0662", false, Checked.refused(Replies.SYNTAX)),
                Arguments.of("BODY=7BIT", false, values(-1, "7BIT", false)),
                Arguments.of("body=8bitmime", false, values(-1, "8BITMIME", false)),
                Arguments.of("BODY=BINARYMIME", false, Checked.refused(Replies.SYNTAX)),
                Arguments.of("BODY=", false, Checked.refused(Replies.SYNTAX)),
                // Case-insensitive in ASCII only: the dotless i makes no 8BITMIME (CommandParserFuzzTest).
                Arguments.of("BODY=8b\u0131tm\u0131me", false, Checked.refused(Replies.SYNTAX)),
                Arguments.of("\u017fize=10", false, Checked.refused(Replies.UNKNOWN_PARAMETER)),
                Arguments.of("SMTPUTF8", false, values(-1, null, true)),
                Arguments.of("SMTPUTF8=yes", false, Checked.refused(Replies.SYNTAX)),
                Arguments.of("SIZE=500 BODY=8BITMIME SMTPUTF8", false, values(500, "8BITMIME", true)),
                // RFC 4954 5: AUTH= is known only where AUTH is offered; its value is checked, then dropped.
                Arguments.of("AUTH=<>", false, Checked.refused(Replies.UNKNOWN_PARAMETER)),
                Arguments.of("AUTH=<>", true, none),
                Arguments.of("AUTH=alice@example.test", true, none),
                Arguments.of("AUTH=alice+2Bshop@example.test SIZE=10", true, values(10, null, false)),
                Arguments.of("AUTH", true, Checked.refused(Replies.SYNTAX)),
                Arguments.of("AUTH=alice", true, Checked.refused(Replies.SYNTAX)),
                Arguments.of("AUTH=<alice@example.test>", true, Checked.refused(Replies.SYNTAX)),
                Arguments.of("AUTH=a+zz@example.test", true, Checked.refused(Replies.SYNTAX)),
                Arguments.of("AUTH=a+0D+0A@example.test", true, Checked.refused(Replies.SYNTAX)),
                Arguments.of("RET=HDRS", true, Checked.refused(Replies.UNKNOWN_PARAMETER)),
                Arguments.of("ENVID=x SIZE=10", false, Checked.refused(Replies.UNKNOWN_PARAMETER)),
                Arguments.of("SIZE=5000 XYZ", false, Checked.refused(Replies.UNKNOWN_PARAMETER)));
    }

    @ParameterizedTest(name = "[{index}] {0} (AUTH offered: {1})")
    @MethodSource("parameters")
    void parsesOrRefuses(String parameters, boolean authOffered, Checked<MailParameters> expected) {
        Map<String, String> map = CommandParser.parsePathArgument("FROM:<a@client.test> " + parameters, "FROM")
                .orElseThrow().parameters();
        assertEquals(expected, MailParameters.parse(map, authOffered));
    }
}
