package org.mxgate.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Addresses are counted per network: IPv4 per /32 and IPv6 per /64 by default, mapped IPv4 as IPv4. */
class AddressKeyTest {

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 32, 64, 203.0.113.7",
            "203.0.113.7, 24, 64, 203.0.113.0/24",
            "2001:db8:1:2:aaaa:bbbb:cccc:dddd, 32, 64, 2001:db8:1:2:0:0:0:0/64",
            "2001:db8:1:2:aaaa:bbbb:cccc:dddd, 32, 48, 2001:db8:1:0:0:0:0:0/48",
            "2001:db8:1:2:aaaa:bbbb:cccc:dddd, 32, 128, 2001:db8:1:2:aaaa:bbbb:cccc:dddd",
            "2001:db8::ff, 32, 56, 2001:db8:0:0:0:0:0:0/56",
            "::ffff:192.0.2.1, 32, 64, 192.0.2.1",
            "::ffff:192.0.2.1, 16, 64, 192.0.0.0/16",
    })
    void anAddressIsCountedUnderItsNetwork(String address, int ipv4Prefix, int ipv6Prefix, String key) throws Exception {
        assertEquals(key, AddressKey.of(InetAddress.getByName(address), ipv4Prefix, ipv6Prefix));
    }

    @Test
    void oneHostCannotRotateThroughItsSlash64() throws Exception {
        String first = AddressKey.of(InetAddress.getByName("2001:db8:5:6::1"), 32, 64);
        for (String other : new String[] {"2001:db8:5:6::2", "2001:db8:5:6:ffff:ffff:ffff:ffff", "2001:db8:5:6:1234::"}) {
            assertEquals(first, AddressKey.of(InetAddress.getByName(other), 32, 64), other);
        }
        assertNotEquals(first, AddressKey.of(InetAddress.getByName("2001:db8:5:7::1"), 32, 64), "the next /64 is another client");
    }
}
