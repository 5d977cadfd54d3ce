package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ReceivedHeader's "with" keyword (RFC 3848, RFC 6531 4.3); the whole header is checked in SmtpSessionTest. */
class ReceivedHeaderTest {

    @ParameterizedTest
    @CsvSource({
        "false, false, false, false, SMTP",
        "false, false, true,  true,  SMTP",
        "true,  false, false, false, ESMTP",
        "true,  false, true,  false, ESMTPS",
        "true,  false, false, true,  ESMTPA",
        "true,  false, true,  true,  ESMTPSA",
        "false, true,  false, false, UTF8SMTP",
        "true,  true,  true,  false, UTF8SMTPS",
        "false, true,  true,  true,  UTF8SMTPSA",
    })
    void protocolKeyword(boolean extended, boolean smtputf8, boolean tls, boolean login, String keyword) {
        assertEquals(keyword, ReceivedHeader.protocol(extended, smtputf8, tls, login));
    }
}
