package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Replies;

/**
 * EnvelopeParser: the checks a MAIL or RCPT argument passes before the policy sees it, and
 * which refusal comes first when several apply (syntax, address, parameters, size, SMTPUTF8,
 * then bytes that are not UTF-8).
 */
class EnvelopeParserTest {

    private static final long MAX_SIZE = 1000;
    private static final MailAddress SENDER = new MailAddress("a", "client.test");
    private static final MailAddress JOERG = new MailAddress("j\u00f6rg", "client.test");

    static Stream<Arguments> mailFrom() {
        return Stream.of(
                Arguments.of("FROM:<a@client.test>", true, Checked.of(new Envelope(SENDER, -1, null, false))),
                Arguments.of("from: <a@client.test> SIZE=1000 BODY=8bitmime", true,
                        Checked.of(new Envelope(SENDER, 1000, "8BITMIME", false))),
                Arguments.of("FROM:<>", true, Checked.of(new Envelope(MailAddress.NULL_SENDER, -1, null, false))),
                Arguments.of("TO:<a@client.test>", true, Checked.refused(Replies.MAIL_SYNTAX)),
                Arguments.of("FROM:a@client.test", true, Checked.refused(Replies.MAIL_SYNTAX)),
                Arguments.of("FROM:<a@client.test>SIZE=1", true, Checked.refused(Replies.MAIL_SYNTAX)),
                Arguments.of("FROM:<a@client.test> SIZE=1 SIZE=2", true, Checked.refused(Replies.MAIL_SYNTAX)),
                Arguments.of("FROM:<a@>", true, Checked.refused(Replies.BAD_SENDER)),
                Arguments.of("FROM:<postmaster>", true, Checked.refused(Replies.BAD_SENDER)),
                Arguments.of("FROM:<a@client.test> SIZE=big", true, Checked.refused(Replies.SYNTAX)),
                // A parameter we do not know is refused before the size is compared with the limit.
                Arguments.of("FROM:<a@client.test> SIZE=5000 XYZ", true, Checked.refused(Replies.UNKNOWN_PARAMETER)),
                // RFC 1870 6.1: a declared size over the limit is refused at MAIL.
                Arguments.of("FROM:<a@client.test> SIZE=1001", true, Checked.refused(Replies.MESSAGE_TOO_BIG)),
                Arguments.of("FROM:<j\u00f6rg@client.test> SIZE=1001", true, Checked.refused(Replies.MESSAGE_TOO_BIG)),
                // RFC 6531 3.4: a non-ASCII address needs SMTPUTF8, and gets 553 5.6.7 first even in bytes that are not UTF-8.
                Arguments.of("FROM:<j\u00f6rg@client.test>", true, Checked.refused(Replies.NEEDS_SMTPUTF8)),
                Arguments.of("FROM:<j\u00f6rg@client.test>", false, Checked.refused(Replies.NEEDS_SMTPUTF8)),
                Arguments.of("FROM:<j\u00f6rg@client.test> SMTPUTF8", true, Checked.of(new Envelope(JOERG, -1, null, true))),
                // RFC 6531 3.3: under SMTPUTF8 the address is UTF-8, or refused.
                Arguments.of("FROM:<j\u00f6rg@client.test> SMTPUTF8", false, Checked.refused(Replies.BAD_UTF8)),
                Arguments.of("FROM:<a@client.test> SIZE=1\u00b2", false, Checked.refused(Replies.SYNTAX)));
    }

    @ParameterizedTest(name = "[{index}] MAIL {0} (UTF-8: {1})")
    @MethodSource("mailFrom")
    void mailFromOpensAnEnvelopeOrIsRefused(String argument, boolean isUtf8, Checked<Envelope> expected) {
        assertEquals(expected, EnvelopeParser.mailFrom(argument, isUtf8, false, MAX_SIZE));
    }

    static Stream<Arguments> rcptTo() {
        MailAddress user = new MailAddress("user", "example.test");
        MailAddress joe = new MailAddress("j\u00f6", "example.test");
        return Stream.of(
                Arguments.of("TO:<user@example.test>", true, false, Checked.of(user)),
                Arguments.of("to: <user@example.test>", true, false, Checked.of(user)),
                Arguments.of("TO:<Postmaster>", true, false, Checked.of(MailAddress.parsePath("<Postmaster>").orElseThrow())),
                Arguments.of("TO:user@example.test", true, false, Checked.refused(Replies.RCPT_SYNTAX)),
                Arguments.of("FROM:<user@example.test>", true, false, Checked.refused(Replies.RCPT_SYNTAX)),
                Arguments.of("TO:<user@example.test> NOTIFY=NEVER", true, false, Checked.refused(Replies.UNKNOWN_PARAMETER)),
                Arguments.of("TO:<>", true, false, Checked.refused(Replies.BAD_RECIPIENT)),
                Arguments.of("TO:<user@>", true, false, Checked.refused(Replies.BAD_RECIPIENT)),
                Arguments.of("TO:<j\u00f6@example.test>", true, false, Checked.refused(Replies.NEEDS_SMTPUTF8)),
                Arguments.of("TO:<j\u00f6@example.test>", false, false, Checked.refused(Replies.NEEDS_SMTPUTF8)),
                Arguments.of("TO:<j\u00f6@example.test>", true, true, Checked.of(joe)),
                Arguments.of("TO:<j\u00f6@example.test>", false, true, Checked.refused(Replies.BAD_UTF8)));
    }

    @ParameterizedTest(name = "[{index}] RCPT {0} (UTF-8: {1}, SMTPUTF8: {2})")
    @MethodSource("rcptTo")
    void rcptToGivesARecipientOrIsRefused(String argument, boolean isUtf8, boolean smtputf8, Checked<MailAddress> expected) {
        assertEquals(expected, EnvelopeParser.rcptTo(argument, isUtf8, smtputf8));
    }

    @ParameterizedTest
    @MethodSource("authParameters")
    void authParameterIsKnownOnlyWhereAuthIsOffered(boolean authOffered, Checked<Envelope> expected) {
        assertEquals(expected, EnvelopeParser.mailFrom("FROM:<a@client.test> AUTH=<>", true, authOffered, MAX_SIZE));
    }

    static Stream<Arguments> authParameters() {
        return Stream.of(
                Arguments.of(true, Checked.of(new Envelope(SENDER, -1, null, false))),
                Arguments.of(false, Checked.refused(Replies.UNKNOWN_PARAMETER)));
    }
}
