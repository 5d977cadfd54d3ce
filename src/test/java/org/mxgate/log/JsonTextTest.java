package org.mxgate.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON string literals: nothing a value holds can end the string or the line it is in. */
class JsonTextTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "a sender as admins grep for it | MAIL FROM:<a@b.test>     | '\"MAIL FROM:<a@b.test>\"'    | '\"MAIL FROM:\\u003ca@b.test\\u003e\"'",
        "quote and backslash            | '\"\\'                    | '\"\\\"\\\\\"'                 | '\"\\\"\\\\\"'",
        "line ends and tab              | 'a\nb\rc\td'              | '\"a\\nb\\rc\\td\"'             | '\"a\\nb\\rc\\td\"'",
        "other controls and DEL         | 'x\u0000\u001b\u007f'     | '\"x\\u0000\\u001b\\u007f\"'    | '\"x\\u0000\\u001b\\u007f\"'",
        "JavaScript line separators     | 'a\u2028b\u2029'          | '\"a\\u2028b\\u2029\"'          | '\"a\\u2028b\\u2029\"'",
        "a lone surrogate               | 'a\ud800b'                | '\"a\\ufffdb\"'                 | '\"a\\ufffdb\"'",
        "a pair stays                   | '\ud83d\udce8'            | '\"\ud83d\udce8\"'              | '\"\ud83d\udce8\"'",
    })
    void quotes(String name, String value, String forLog, String forHtml) {
        assertEquals(forLog, JsonText.quote(new StringBuilder(), value, false).toString(), name);
        assertEquals(forHtml, JsonText.quote(new StringBuilder(), value, true).toString(), name);
    }
}
