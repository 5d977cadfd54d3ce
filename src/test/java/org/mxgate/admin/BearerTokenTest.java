package org.mxgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxgate.admin.BearerToken.Access;

/** The one token check: header or form field, right, wrong or missing, or no token configured at all. */
class BearerTokenTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @ParameterizedTest(name = "header [{0}] form [{1}] -> {2}")
    @CsvSource(nullValues = "NULL", textBlock = """
            Bearer 0123456789abcdef0123456789abcdef,  NULL,  GRANTED
            bearer 0123456789abcdef0123456789abcdef,  NULL,  GRANTED
            Bearer  0123456789abcdef0123456789abcdef ,NULL,  GRANTED
            NULL,  0123456789abcdef0123456789abcdef,         GRANTED
            Bearer 0123456789abcdef0123456789abcdeX,  NULL,  WRONG
            Bearer 0123456789abcdef,                  NULL,  WRONG
            Bearer 0123456789abcdef0123456789abcdef0, NULL,  WRONG
            Basic MDEyMzQ1Njc4OWFiY2RlZg==,           NULL,  WRONG
            Bearer x,  0123456789abcdef0123456789abcdef,     WRONG
            NULL,  wrong-token-wrong-token,                  WRONG
            NULL,  NULL,                                     MISSING
            'Bearer ',  NULL,                                MISSING
            NULL,  '  ',                                     MISSING
            """)
    void checks(String header, String form, Access expected) {
        assertEquals(expected, new BearerToken(TOKEN).check(header, form));
    }

    @Test
    void withoutATokenFileEveryChangeIsRefused() {
        BearerToken none = new BearerToken(null);
        assertFalse(none.isConfigured());
        assertEquals(Access.READ_ONLY, none.check("Bearer " + TOKEN, null));
        assertEquals(Access.READ_ONLY, none.check(null, null));
    }
}
