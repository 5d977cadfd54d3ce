package org.mxgate.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Domain is the form policy compares: lower case, no trailing dot, {@code *.} patterns that
 * match subdomains only, and address literals that never match a name.
 */
class DomainTest {

    @ParameterizedTest
    @CsvSource({
        "example.test,   example.test",
        "Example.TEST,   example.test",
        "example.test.,  example.test",
        "EXAMPLE.TEST.,  example.test",
        "[192.0.2.1],    [192.0.2.1]",
        "[IPv6:2001:DB8::1], [ipv6:2001:db8::1]",
    })
    void normalisesCaseAndTrailingDot(String written, String normal) {
        assertEquals(normal, Domain.of(written).name());
        assertEquals(normal, Domain.of(written).toString());
        assertEquals(Domain.of(normal), Domain.of(written));
        assertEquals(Domain.of(normal).hashCode(), Domain.of(written).hashCode());
    }

    @Test
    void differentNamesAreNotEqual() {
        assertNotEquals(Domain.of("example.test"), Domain.of("example.test.evil"));
        assertNotEquals(Domain.of("example.test"), Domain.of("www.example.test"));
    }

    @ParameterizedTest
    @CsvSource({
        "example.test,       example.test,        true",
        "Example.Test,       EXAMPLE.TEST,        true",
        "example.test.,      example.test,        true",
        "example.test,       example.test.,       true",
        "example.test,       example.org,         false",
        "www.example.test,   example.test,        false",
        "example.test,       www.example.test,    false",
        "mx.example.test,    *.example.test,      true",
        "a.b.example.test,   *.example.test,      true",
        "MX.Example.Test.,   *.EXAMPLE.test,      true",
        "example.test,       *.example.test,      false",
        "badexample.test,    *.example.test,      false",
        "example.test.evil,  *.example.test,      false",
        "mx.example.test.evil, *.example.test,    false",
        "[192.0.2.1],        [192.0.2.1],         false",
        "[192.0.2.1],        *.2.1],              false",
    })
    void matchesExactNameOrSubdomainPattern(String domain, String pattern, boolean expected) {
        assertEquals(expected, Domain.of(domain).matches(pattern), domain + " vs " + pattern);
    }

    @Test
    void addressLiteralIsRecognised() {
        assertTrue(Domain.of("[192.0.2.1]").isAddressLiteral());
        assertTrue(Domain.of("[IPv6:2001:db8::1]").isAddressLiteral());
        assertFalse(Domain.of("example.test").isAddressLiteral());
        assertFalse(Domain.of("192.0.2.1").isAddressLiteral());
    }
}
