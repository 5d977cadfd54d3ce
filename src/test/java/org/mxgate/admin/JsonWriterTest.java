package org.mxgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON by hand: commas in their places, and every string escaped so that no name can break the document. */
class JsonWriterTest {

    @Test
    void nestsObjectsAndArraysWithCommas() {
        String json = new JsonWriter().beginObject().field("a", 1).name("b").beginArray().value(true).value("x")
                .beginObject().endObject().beginArray().endArray().endArray().field("c", (String) null)
                .name("d").beginObject().field("e", false).endObject().endObject().toString();
        assertEquals("{\"a\":1,\"b\":[true,\"x\",{},[]],\"c\":null,\"d\":{\"e\":false}}", json);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            plain                        | "plain"
            quote " and backslash \\     | "quote \\" and backslash \\\\"
            <script>&                    | "\\u003cscript\\u003e\\u0026"
            ü and 日本 and 😀              | "ü and 日本 and 😀"
            """)
    void escapesStrings(String text, String expected) {
        assertEquals(expected, new JsonWriter().value(text).toString());
    }

    @Test
    void escapesControlsLineSeparatorsAndLoneSurrogates() {
        assertEquals("\"\\n\\r\\t\\u0000\\u001f\\u007f\\u2028\\u2029\"",
                new JsonWriter().value("\n\r\t\u0000\u001f\u007f\u2028\u2029").toString());
        assertEquals("\"a\\ufffdb\\ufffd\"", new JsonWriter().value("a\ud800b\udc00").toString());
        assertEquals("{\"\\\"k\\\"\":\"v\"}", new JsonWriter().beginObject().field("\"k\"", "v").endObject().toString());
    }
}
