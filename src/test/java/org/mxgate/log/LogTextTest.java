package org.mxgate.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Client text for the application log: one line, nothing hidden, readable back to what was sent. */
class LogTextTest {

    @Test
    void lineBreaksAndTabsBecomeTheirEscapes() {
        assertEquals("a\\nFORGED", LogText.escape("a\nFORGED"));
        assertEquals("a\\r\\nFORGED", LogText.escape("a\r\nFORGED"));
        assertEquals("a\\tb", LogText.escape("a\tb"));
    }

    @Test
    void aBackslashIsDoubledSoAnEscapeCannotBeForged() {
        assertEquals("a\\\\nb", LogText.escape("a\\nb"));
    }

    @Test
    void otherNonPrintablesBecomeUnicodeEscapes() {
        assertEquals("a\\u0000\\u001b[31m", LogText.escape("a\u0000\u001b[31m"), "NUL, ESC");
        assertEquals("a\\u007f\\u0085b", LogText.escape("a\u007f\u0085b"), "DEL, C1 next line");
        assertEquals("a\\u2028b\\u2029", LogText.escape("a\u2028b\u2029"), "line and paragraph separators");
        assertEquals("admin\\u202egnp.exe", LogText.escape("admin\u202egnp.exe"), "right-to-left override");
        assertEquals("ad\\u200bmin", LogText.escape("ad\u200bmin"), "zero-width space");
        assertEquals("a\\ud800b", LogText.escape("a\ud800b"), "lone surrogate");
        assertEquals("\\udb80\\udc00", LogText.escape("\udb80\udc00"), "private use, outside the BMP");
    }

    @Test
    void printableTextIsKeptAsItIs() {
        String text = "alice@bücher.test <postmaster> 203.0.113.7:25 \uD83D\uDCE7 \"quoted\"";
        assertSame(text, LogText.escape(text));
        assertEquals("null", LogText.escape(null));
        assertEquals("[1, 2]", LogText.escape(List.of(1, 2)));
    }
}
