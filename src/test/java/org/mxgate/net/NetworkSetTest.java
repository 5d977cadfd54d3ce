package org.mxgate.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** NetworkSet: an empty set trusts nobody, a set contains an address when any of its networks does. */
class NetworkSetTest {

    private static final NetworkSet RELAY = NetworkSet.parse(List.of("127.0.0.0/8", "192.0.2.0/24", "2001:db8::/32", "::1"));

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::1"})
    void emptySetContainsNoAddress(String address) throws Exception {
        assertFalse(NetworkSet.EMPTY.contains(InetAddress.getByName(address)));
        assertFalse(NetworkSet.parse(List.of()).contains(InetAddress.getByName(address)));
        assertTrue(NetworkSet.EMPTY.isEmpty());
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1,     true",
        "127.255.0.9,   true",
        "192.0.2.200,   true",
        "192.0.3.1,     false",
        "10.0.0.1,      false",
        "::1,           true",
        "::2,           false",
        "2001:db8:5::9, true",
        "2001:db9::1,   false",
    })
    void containsWhenAnyNetworkDoes(String address, boolean expected) throws Exception {
        assertEquals(expected, RELAY.contains(InetAddress.getByName(address)), address);
        assertFalse(RELAY.isEmpty());
    }

    @Test
    void parseRefusesTheWholeListForOneBadEntry() {
        assertThrows(IllegalArgumentException.class, () -> NetworkSet.parse(List.of("10.0.0.0/8", "10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> NetworkSet.parse(List.of("example.test")));
    }

    @Test
    void laterChangesToTheCallersListDoNotLeakIn() throws Exception {
        List<Cidr> networks = new ArrayList<>(List.of(Cidr.parse("10.0.0.0/8")));
        NetworkSet set = new NetworkSet(networks);
        networks.add(Cidr.parse("0.0.0.0/0"));
        assertFalse(set.contains(InetAddress.getByName("192.0.2.1")));
        assertThrows(UnsupportedOperationException.class, () -> set.networks().add(Cidr.parse("0.0.0.0/0")));
    }
}
