package org.mxgate.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HostPort reads {@code host:port} as written in the config, IPv6 only in brackets, ports
 * 0 to 65535, and never resolves a name while parsing.
 */
class HostPortTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:2525,        127.0.0.1,        2525,  127.0.0.1:2525",
        "'  127.0.0.1:25  ',    127.0.0.1,        25,    127.0.0.1:25",
        "[::1]:25,              ::1,              25,    [::1]:25",
        "[2001:db8::1]:587,     2001:db8::1,      587,   [2001:db8::1]:587",
        "mx1.example.test:25,   mx1.example.test, 25,    mx1.example.test:25",
        "localhost:0,           localhost,        0,     localhost:0",
        "0.0.0.0:65535,         0.0.0.0,          65535, 0.0.0.0:65535",
    })
    void parsesHostAndPort(String text, String host, int port, String written) {
        HostPort parsed = HostPort.parse(text);
        assertEquals(new HostPort(host, port), parsed);
        assertEquals(written, parsed.toString());
        assertEquals(parsed, HostPort.parse(parsed.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "host",
        "host:",
        ":25",
        "::1:25",
        "2001:db8::1:25",
        "[::1]",
        "host:abc",
        "host:25x",
        "host:65536",
        "host:-1",
        "host:99999999999",
    })
    void refusesBadInput(String text) {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text), text);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, Integer.MAX_VALUE})
    void refusesPortOutOfRange(int port) {
        assertThrows(IllegalArgumentException.class, () -> new HostPort("host", port));
    }

    @Test
    void unresolvedNeverLooksUpTheName() {
        InetSocketAddress address = HostPort.parse("mx1.example.invalid:25").unresolved();
        assertTrue(address.isUnresolved());
        assertEquals("mx1.example.invalid", address.getHostString());
        assertEquals(25, address.getPort());
    }

    @Test
    void literalResolvesWithoutDns() {
        InetSocketAddress address = HostPort.parse("[2001:db8::1]:25").resolved();
        assertEquals("2001:db8:0:0:0:0:0:1", address.getAddress().getHostAddress());
        assertEquals(25, address.getPort());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"[]:25", "host:+25", "host:-1", "host:2 5"})
    void emptyHostsAndSignedPortsAreRefused(String text) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text));
    }
}
