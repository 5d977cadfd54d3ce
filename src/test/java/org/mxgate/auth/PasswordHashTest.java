package org.mxgate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** bcrypt through Bouncy Castle: the $2y$ form we write, the $2a$/$2b$ forms others write, and no exception for junk. */
class PasswordHashTest {

    @Test
    void createdHashMatchesItsPasswordOnly() {
        String hash = PasswordHash.create("correct horse".toCharArray(), 4);
        assertTrue(PasswordHash.matches(hash, "correct horse".toCharArray()));
        assertFalse(PasswordHash.matches(hash, "correct hors".toCharArray()));
        assertFalse(PasswordHash.matches(hash, "Correct horse".toCharArray()));
        assertFalse(PasswordHash.matches(hash, new char[0]));
    }

    @Test
    void defaultCostGivesTheModularCryptForm() {
        String hash = PasswordHash.create("secret".toCharArray(), PasswordHash.DEFAULT_COST);
        assertTrue(hash.matches("^\\$2y\\$10\\$[./A-Za-z0-9]{53}$"), hash);
        assertTrue(PasswordHash.create("secret".toCharArray(), 5).startsWith("$2y$05$"));
    }

    @Test
    void costIsReadFromTheHashAndAHashWithAnotherCostMatchesNothing() {
        String hash = PasswordHash.create("secret".toCharArray(), 4);
        assertEquals(4, PasswordHash.cost(hash));
        assertEquals(-1, PasswordHash.cost("$2y$10$short"));
        assertEquals(-1, PasswordHash.cost(null));
        String decoy = PasswordHash.withCost(hash, 6);
        assertEquals(6, PasswordHash.cost(decoy));
        assertTrue(decoy.startsWith("$2y$06$") && decoy.substring(7).equals(hash.substring(7)), decoy);
        assertFalse(PasswordHash.matches(decoy, "secret".toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.withCost(hash, 32));
    }

    @Test
    void eachHashHasItsOwnSalt() {
        String one = PasswordHash.create("secret".toCharArray(), 4);
        String two = PasswordHash.create("secret".toCharArray(), 4);
        assertNotEquals(one, two);
        assertTrue(PasswordHash.matches(one, "secret".toCharArray()));
        assertTrue(PasswordHash.matches(two, "secret".toCharArray()));
    }

    @Test
    void hashesMadeElsewhereAsTwoATwoBOrTwoYVerify() {
        byte[] salt = new byte[16];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (i * 17);
        }
        String twoB = OpenBSDBCrypt.generate("2b", "s3cret".toCharArray(), salt, 4);
        String body = twoB.substring(3);
        for (String version : new String[] {"$2a", "$2b", "$2y"}) {
            assertTrue(PasswordHash.matches(version + body, "s3cret".toCharArray()), version);
            assertFalse(PasswordHash.matches(version + body, "s3creT".toCharArray()), version);
        }
    }

    @Test
    void knownVectorFromAnotherImplementationVerifies() {
        // The example from PHP's password_hash documentation ("rasmuslerdorf", cost 10), written by a different bcrypt.
        String php = "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a";
        assertTrue(PasswordHash.matches(php, "rasmuslerdorf".toCharArray()));
        assertFalse(PasswordHash.matches(php, "rasmuslerdorF".toCharArray()));
    }

    @Test
    void onlyTheFirst72BytesCount() {
        String prefix = "a".repeat(72);
        String hash = PasswordHash.create((prefix + "one").toCharArray(), 4);
        assertTrue(PasswordHash.matches(hash, (prefix + "two").toCharArray()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "secret",
        "$2y$10$",
        "$2x$04$abcdefghijklmnopqrstuuKz1cIbJqoJfLtZBDpIbDHkh3jHQ5oZy",
        "$2y$03$abcdefghijklmnopqrstuuKz1cIbJqoJfLtZBDpIbDHkh3jHQ5oZy",
        "$2y$32$abcdefghijklmnopqrstuuKz1cIbJqoJfLtZBDpIbDHkh3jHQ5oZy",
        "$2y$1x$abcdefghijklmnopqrstuuKz1cIbJqoJfLtZBDpIbDHkh3jHQ5oZy",
        "$2y$04$abcdefghijklmnopqrstuuKz1cIbJqoJfLtZBDpIbDHkh3jHQ5oZ",
        "$2y$04$abcdefghijklmnopqrstuuKz1cIbJqoJfLtZBDpIbDHkh3jHQ5oZyy",
        "$2y$04$abcdefghijklmnopqrstu!Kz1cIbJqoJfLtZBDpIbDHkh3jHQ5oZy",
        "$2y$04$abcdefghijklmnopqrstu\u00e9Kz1cIbJqoJfLtZBDpIbDHkh3jHQ5oZ",
        "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ="
    })
    void malformedHashIsAMismatchNotAnException(String hash) {
        assertFalse(PasswordHash.matches(hash, "secret".toCharArray()));
    }

    @Test
    void nullHashOrPasswordIsAMismatch() {
        assertFalse(PasswordHash.matches(null, "secret".toCharArray()));
        assertFalse(PasswordHash.matches(PasswordHash.create("secret".toCharArray(), 4), null));
    }
}
