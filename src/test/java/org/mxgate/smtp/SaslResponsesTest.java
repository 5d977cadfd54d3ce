package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 4616 PLAIN and LOGIN responses: what decodes to credentials, and what never does. */
class SaslResponsesTest {

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainWithoutAuthorizationIdentity() {
        SaslResponses.Credentials c = SaslResponses.plain(b64("\0alice@example.test\0s3cr\u00e9t")).orElseThrow();
        assertEquals("alice@example.test", c.login());
        assertArrayEquals("s3cr\u00e9t".toCharArray(), c.password());
        assertFalse(c.toString().contains("s3cr"), c.toString());
    }

    @Test
    void plainWithTheSameAuthorizationIdentity() {
        assertEquals("alice", SaslResponses.plain(b64("alice\0alice\0pw")).orElseThrow().login());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "admin\0alice\0pw",      // acting for someone else is not offered
            "alice\0pw",             // one NUL only
            "\0alice\0pw\0extra",     // a third NUL
            "\0\0pw",                 // empty login
            ""})
    void malformedPlainGivesNoCredentials(String message) {
        assertEquals(Optional.empty(), SaslResponses.plain(b64(message)));
    }

    @Test
    void plainThatIsNotUtf8GivesNoCredentials() {
        String bad = Base64.getEncoder().encodeToString(new byte[] {0, 'a', 0, (byte) 0xC3, (byte) 0x28});
        assertEquals(Optional.empty(), SaslResponses.plain(bad));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "YWJj=", "====", "a b"})
    void badBase64IsNoResponse(String response) {
        assertFalse(SaslResponses.isBase64(response));
        assertEquals(Optional.empty(), SaslResponses.text(response));
        assertEquals(Optional.empty(), SaslResponses.secret(response));
    }

    @Test
    void loginResponses() {
        assertTrue(SaslResponses.isBase64(b64("bob")));
        assertEquals(Optional.of("bob"), SaslResponses.text(b64("bob")));
        assertArrayEquals("pw".toCharArray(), SaslResponses.secret(b64("pw")).orElseThrow());
        assertEquals("Username:", new String(Base64.getDecoder().decode(SaslResponses.USERNAME_PROMPT), StandardCharsets.US_ASCII));
        assertEquals("Password:", new String(Base64.getDecoder().decode(SaslResponses.PASSWORD_PROMPT), StandardCharsets.US_ASCII));
    }

    @Test
    void cancelAndEmpty() {
        assertTrue(SaslResponses.isCancel("*"));
        assertTrue(SaslResponses.isEmptyResponse("="));
        assertFalse(SaslResponses.isCancel("**"));
    }
}
