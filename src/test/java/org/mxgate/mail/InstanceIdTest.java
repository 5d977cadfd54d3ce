package org.mxgate.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The instance id's form (1 to 4 base-36 characters, kept in lower case) and its derived default:
 * four characters, the same for the same machine, file and addresses, different when any differs.
 */
class InstanceIdTest {

    @ParameterizedTest
    @CsvSource({"mx1, mx1", "MX1, mx1", "a, a", "0, 0", "zz99, zz99", "' gw2 ', gw2"})
    void anAdminsIdIsReadInLowerCase(String text, String id) {
        assertEquals(id, InstanceId.parse(text).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mx-1", "mx_1", "mx.1", "abcde", "m\u00e41", "a b", "mx1!"})
    void anythingButOneToFourLettersOrDigitsIsRefusedWithTheRule(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InstanceId.parse(text));
        assertTrue(e.getMessage().startsWith("instance_id must be 1 to 4 letters or digits (a-z, 0-9), got '"),
                e.getMessage());
    }

    @Test
    void aMissingIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> InstanceId.parse(null));
        assertThrows(IllegalArgumentException.class, () -> new InstanceId("MX1"), "the canonical form is lower case");
    }

    @Test
    void theDerivedIdIsFourCharactersAndTheSameAtEveryStart() {
        InstanceId id = InstanceId.derive("mail1", "/etc/mxgate/mxgate.yml", List.of("0.0.0.0:25", "127.0.0.1:10025"));
        assertTrue(id.value().matches("[0-9a-z]{4}"), id.value());
        assertEquals(id, InstanceId.derive("mail1", "/etc/mxgate/mxgate.yml", List.of("0.0.0.0:25", "127.0.0.1:10025")));
    }

    @Test
    void whatKeepsInstancesApartChangesTheDerivedId() {
        InstanceId base = InstanceId.derive("mail1", "/etc/mxgate/mxgate.yml", List.of("0.0.0.0:25"));
        // Another host or container; a second instance on the same host (other port, or other config file).
        assertNotEquals(base, InstanceId.derive("mail2", "/etc/mxgate/mxgate.yml", List.of("0.0.0.0:25")));
        assertNotEquals(base, InstanceId.derive("mail1", "/etc/mxgate/mxgate.yml", List.of("0.0.0.0:2525")));
        assertNotEquals(base, InstanceId.derive("mail1", "/etc/mxgate-b/mxgate.yml", List.of("0.0.0.0:25")));
    }

    @Test
    void derivedIdsSpreadOverTheirRange() {
        // A thousand containers of one image: distinct names, the same file and addresses.
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(InstanceId.derive("mxgate-7d9f8c-" + i, "/app/conf/mxgate.yml", List.of("0.0.0.0:25")).value());
        }
        // 1000 draws from 36^4 values repeat about 0.3 times on average.
        assertTrue(ids.size() >= 995, ids.size() + " distinct ids of 1000");
    }
}
