package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxgate.mail.Reply;

/**
 * The reply grammar of RFC 5321 4.2 as tables, line by line and without a channel: what a
 * backend may say and what it reads as, and each way a line breaks the grammar. In the tables
 * {@code \n} separates the lines of one reply, which reach the parser without their line end.
 */
class ReplyParserTest {

    private final ReplyParser parser = new ReplyParser();

    /** Feeds every line but the last, each of which must leave the reply open, and returns what the last gives. */
    private Reply parse(String wire) {
        List<String> lines = Arrays.asList(wire.split("\\\\n", -1));
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertNull(parser.line(bytes(line)), "the reply is open after " + line);
        }
        return parser.line(bytes(lines.get(lines.size() - 1)));
    }

    private static byte[] bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        // wire,                                              code, status, lines ('/' between them)
        "'250 Ok',                                            250,  -,      Ok",
        // RFC 5321 4.2.1: clients MUST be prepared for a last line with no SP and no text; Netty's
        // decoder threw here, and the session was lost.
        "'250',                                               250,  -,      ''",
        "'250 ',                                              250,  -,      ''",
        "'250 2.1.0 Ok',                                      250,  2.1.0,  Ok",
        "'250 2.0.0',                                         250,  2.0.0,  ''",
        "'220 mx1.test ESMTP Postfix',                        220,  -,      mx1.test ESMTP Postfix",
        "'200 lowest',                                        200,  -,      lowest",
        "'559 highest',                                       559,  -,      highest",
        "'354 End data with <CR><LF>.<CR><LF>',               354,  -,      End data with <CR><LF>.<CR><LF>",
        "'421 4.3.2 mx1.test busy',                           421,  4.3.2,  mx1.test busy",
        "'250 Ok  with  spaces  ',                            250,  -,      'Ok  with  spaces  '",
        "'250 tab\there',                                     250,  -,      tab\there",
        "'250-mx1.test\\n250-PIPELINING\\n250 SIZE 10240000', 250,  -,      mx1.test/PIPELINING/SIZE 10240000",
        "'550-5.1.1 no such user\\n550 5.1.1 here',           550,  5.1.1,  no such user/here",
        // RFC 5321 4.2.1's own example: text that begins with digits is text, not a code.
        "'250-First line\\n250-234 Text beginning with numbers\\n250 The last line', 250, -,"
                + " First line/234 Text beginning with numbers/The last line",
        // A continuation line may have no text, and so may the last line.
        "'250-\\n250 Ok',                                     250,  -,      /Ok",
        "'250-mx1.test\\n250',                                250,  -,      mx1.test/",
        "'250-mx1.test\\n250 ',                               250,  -,      mx1.test/",
    })
    void aReplyAndWhatItReadsAs(String wire, int code, String status, String lines) {
        Reply reply = parse(wire);
        assertEquals(code, reply.code());
        assertEquals(status, reply.status());
        assertEquals(Arrays.asList(lines.split("/", -1)), reply.lines());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // wire,                      what the error says
        // Netty's decoder read this as 249: a positive reply out of a broken one.
        "'25x Ok',                    no reply code",
        "'2x0 Ok',                    no reply code",
        "'x50 Ok',                    no reply code",
        "'2 0 Ok',                    no reply code",
        // RFC 5321 4.2: no 1yz reply is used, and the first digit is 2 to 5.
        "'150 Opening',               no reply code",
        "'199',                       no reply code",
        "'099 x',                     no reply code",
        "'600 what',                  no reply code",
        "'999',                       no reply code",
        // The second digit is 0 to 5.
        "'260 x',                     no reply code",
        "'590 x',                     no reply code",
        "'25',                        no reply code",
        "'',                          no reply code",
        "' 250 Ok',                   no reply code",
        "'Ok 250',                    no reply code",
        "'2500 Ok',                   neither SP",
        "'250+Ok',                    neither SP",
        "'250Ok',                     neither SP",
        "'250\tOk',                   neither SP",
        "'250_Ok',                    neither SP",
        // RFC 5321 4.2.1: one code for every line of a reply.
        "'250-mx1.test\\n251 Ok',     code 251 inside a reply that began with 250",
        "'250-mx1.test\\n550 no',     code 550 inside a reply that began with 250",
        "'550-a\\n550-b\\n250 c',     code 250 inside a reply that began with 550",
        "'250-mx1.test\\n25x Ok',     no reply code",
        "'250-mx1.test\\n250+Ok',     neither SP",
        // A bare CR inside a line: the peer may frame on it, so we cannot tell which reply it meant.
        "'250 Ok\\r550 no',           a CR inside the line",
        "'250 Ok\\r',                 a CR inside the line",
    })
    void aLineThatBreaksTheGrammar(String wire, String says) {
        ReplyParser.MalformedReplyException error = assertThrows(ReplyParser.MalformedReplyException.class,
                () -> parse(wire.replace("\\r", "\r")));
        assertTrue(error.getMessage().contains(says), error.getMessage());
        assertTrue(error.getMessage().startsWith("bad reply line \""), error.getMessage());
    }

    @Test
    void theErrorShowsTheLineAsAnAdminCanReadItAndNoMoreThan60Characters() {
        ReplyParser.MalformedReplyException error = assertThrows(ReplyParser.MalformedReplyException.class,
                () -> parser.line(bytes("25x \u0000\u00e9" + "y".repeat(100))));
        assertEquals("bad reply line \"25x ???" + "y".repeat(53) + "...\": no reply code 200 to 559 at its start",
                error.getMessage());
    }

    @Test
    void repliesFollowOneAnotherEachWithItsOwnCode() {
        assertEquals(220, parse("220 mx1.test ESMTP").code());
        Reply ehlo = parse("250-mx1.test\\n250 PIPELINING");
        assertEquals(List.of("mx1.test", "PIPELINING"), ehlo.lines());
        Reply refused = parse("550-5.1.1 no\\n550 5.1.1 such user");
        assertEquals(550, refused.code());
        assertEquals(List.of("no", "such user"), refused.lines());
        assertEquals(List.of("Ok"), parse("250 Ok").lines());
    }

    // --- limits

    @Test
    void aLineOfTheLimitIsReadAndOneOctetMoreIsAnError() {
        String longest = "250 " + "x".repeat(ReplyParser.MAX_LINE_OCTETS - 4);
        assertEquals(ReplyParser.MAX_LINE_OCTETS - 4, parser.line(bytes(longest)).text().length());
        ReplyParser.MalformedReplyException error = assertThrows(ReplyParser.MalformedReplyException.class,
                () -> parser.line(bytes(longest + "x")));
        assertEquals("a reply line longer than 4096 octets", error.getMessage());
    }

    @Test
    void aReplyOfTheMostLinesIsReadAndOneLineMoreIsAnError() {
        for (int i = 1; i < ReplyParser.MAX_LINES; i++) {
            assertNull(parser.line(bytes("250-line " + i)));
        }
        assertEquals(ReplyParser.MAX_LINES, parser.line(bytes("250 last")).lines().size());

        for (int i = 1; i <= ReplyParser.MAX_LINES; i++) {
            assertNull(parser.line(bytes("250-line " + i)));
        }
        ReplyParser.MalformedReplyException error = assertThrows(ReplyParser.MalformedReplyException.class,
                () -> parser.line(bytes("250 one too many")));
        assertTrue(error.getMessage().endsWith(": more than 100 lines in one reply"), error.getMessage());
    }

    // --- text

    @Test
    void textInUtf8IsReadAsSent() {
        Reply reply = parser.line(bytes("550 5.1.1 <jörg@example.test>: unbekannter Empfänger"));
        assertEquals("<jörg@example.test>: unbekannter Empfänger", reply.text());
        assertEquals("550 5.1.1 <jörg@example.test>: unbekannter Empfänger\r\n",
                new String(reply.wireBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void controlCharactersInTextBecomeQuestionMarksAndTabStays() {
        Reply reply = parser.line(new byte[] {'2', '5', '0', ' ', 'a', 0, 'b', 0x1b, '[', 'm', 0x7f, '\t', 'c'});
        assertEquals("a?b?[m?\tc", reply.text());
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharacters() {
        Reply reply = parser.line(new byte[] {'2', '5', '0', ' ', 'O', 'k', (byte) 0xff});
        assertEquals("Ok\ufffd", reply.text());
    }
}
