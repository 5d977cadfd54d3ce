package org.mxgate.dnsbl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Query names (RFC 5782), which answers count as listings, and the score against a threshold. */
class DnsblValuesTest {

    @ParameterizedTest
    @CsvSource({
        "192.0.2.99,   bl.test,  99.2.0.192.bl.test.",
        "127.0.0.2,    bl.test., 2.0.0.127.bl.test.",
        "2001:db8::1,  bl.test,  1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test.",
    })
    void queryNameReversesOctetsOrNibbles(String client, String zone, String expected) throws Exception {
        assertEquals(expected, ZoneQueryName.of(InetAddress.getByName(client), zone));
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.2,       true",
        "127.0.0.11,      true",
        "127.0.0.12,      false",
        "127.0.1.5,       true",
        "127.0.1.200,     false",
        "127.0.0.1,       false",
        "127.255.255.254, false",
        "127.255.255.252, false",
        "10.0.0.2,        false",
    })
    void onlyTheZonesCodesCountAndErrorAnswersNever(String answer, boolean listed) throws Exception {
        ReturnCodes codes = ReturnCodes.parse(List.of("127.0.0.2-127.0.0.11", "127.0.1.0/25", "127.255.255.254"));
        assertEquals(listed, codes.isListing(InetAddress.getByName(answer)));
    }

    @Test
    void errorAnswersAreRecognised() throws Exception {
        assertTrue(ReturnCodes.isErrorAnswer(InetAddress.getByName("127.255.255.254")));
        assertFalse(ReturnCodes.isErrorAnswer(InetAddress.getByName("127.0.0.2")));
        assertFalse(ReturnCodes.anyListing().isListing(InetAddress.getByName("127.255.255.254")));
        assertTrue(ReturnCodes.anyListing().isListing(InetAddress.getByName("127.0.0.4")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.9-127.0.0.2", "::1", "not-an-address", "127.0.0.1/33"})
    void badCodesAreRefused(String code) {
        assertThrows(IllegalArgumentException.class, () -> ReturnCodes.parse(List.of(code)));
    }

    @Test
    void weightsAddUpAgainstTheThresholdAndAnAllowListWins() {
        DnsblScore.Listing a = new DnsblScore.Listing("a.test", 0.5, null);
        DnsblScore.Listing b = new DnsblScore.Listing("b.test", 0.5, "listed for spam");
        assertFalse(new DnsblScore(List.of(a), false, List.of()).isBlocked(1.0));
        assertTrue(new DnsblScore(List.of(a, b), false, List.of()).isBlocked(1.0));
        assertFalse(new DnsblScore(List.of(a, b), true, List.of()).isBlocked(1.0), "allow-listed");
        assertFalse(DnsblScore.CLEAN.isBlocked(0.0), "no listing is never blocked");
    }
}
