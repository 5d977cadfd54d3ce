package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parsers every block shares: the one enum parser and its refusal, durations, sizes, whole
 * numbers in a range and booleans, each refusal in the words an admin reads after file:line.
 */
class KeyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "yes       | tls must be none, starttls or implicit, got 'yes'",
        "''        | tls must be none, starttls or implicit, got ''",
    })
    void aChoiceRefusalListsEveryConstant(String word, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Key.oneOf("tls", ListenerConfig.Tls.class, word));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void aChoiceIsReadInAnyCase() {
        assertEquals(PoolConfig.ForwardClientIp.PROXY_V2, Key.oneOf("forward_client_ip", PoolConfig.ForwardClientIp.class,
                "proxy_v2"));
        assertEquals(ListenerConfig.Tls.STARTTLS, Key.oneOf("tls", ListenerConfig.Tls.class, "STARTTLS"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Key.oneOf("balance", PoolConfig.Balance.class, "random"));
        assertEquals("balance must be round_robin, weighted_round_robin, least_connections or priority, got 'random'",
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "1d, PT24H"})
    void durations(String text, Duration expected) {
        assertEquals(expected, Key.parseDuration(text));
    }

    @Test
    void sizesAreBinary() {
        assertEquals(512, Key.parseSize("512"));
        assertEquals(512 * 1024, Key.parseSize("512KB"));
        assertEquals(25L * 1024 * 1024, Key.parseSize("25 mb"));
        // Never wrapped around into another limit.
        for (String huge : new String[] {"99999999999GB", "9223372036854775807KB", "99999999999999999999"}) {
            IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> Key.parseSize(huge));
            org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("size too large"), refused.getMessage());
        }
        assertEquals("expected a size such as 512KB or 25MB; got '10 parsecs'",
                assertThrows(IllegalArgumentException.class, () -> Key.parseSize("10 parsecs")).getMessage());
    }

    @Test
    void wholeNumbersBooleansAndTheKeysOfABlock() {
        Block block = new Block("servers");
        Key<Integer> rise = block.integer("rise", 2, 1, 100);
        assertEquals(7, rise.parser().apply(" 7 "));
        assertEquals("rise must be between 1 and 100",
                assertThrows(IllegalArgumentException.class, () -> rise.parser().apply("0")).getMessage());
        assertEquals("rise must be a whole number, got 'many'",
                assertThrows(IllegalArgumentException.class, () -> rise.parser().apply("many")).getMessage());
        assertEquals(true, block.bool("on", false).parser().apply("yes"));
        assertEquals("on, rise, servers", block.known(), "as the refusal of an unknown key lists them");
    }
}
