package org.mxgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pool and backend names in API paths: any name survives the round trip, and a plus stays a plus. */
class PathSegmentTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mx1               | mx1
            mx-1.site_a~b     | mx-1.site_a~b
            a b/c             | a%20b%2Fc
            a+b               | a%2Bb
            ü                 | %C3%BC
            ../x              | ..%2Fx
            """)
    void encodesAndDecodesBack(String name, String encoded) {
        assertEquals(encoded, PathSegment.encode(name));
        assertEquals(name, PathSegment.decode(encoded));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a+b", "mx1"})
    void plusIsLiteralInAPath(String segment) {
        assertEquals(segment, PathSegment.decode(segment));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%2", "%zz", "%C3", "é"})
    void brokenEscapesAndNonUtf8AreRefused(String segment) {
        assertThrows(IllegalArgumentException.class, () -> PathSegment.decode(segment));
    }
}
