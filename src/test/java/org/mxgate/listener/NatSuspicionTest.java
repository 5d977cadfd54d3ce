package org.mxgate.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The run-time NAT warning: when it speaks, and that it speaks at most once an hour. */
class NatSuspicionTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private Optional<String> feed(NatSuspicion nat, String balancer, int fromBalancer, int others) throws Exception {
        Optional<String> last = Optional.empty();
        for (int i = 0; i < fromBalancer + others; i++) {
            String ip = i < fromBalancer ? balancer : "198.51.100." + (i % 250 + 1);
            Optional<String> warning = nat.sessionFrom(InetAddress.getByName(ip));
            if (warning.isPresent()) {
                last = warning;
            }
        }
        return last;
    }

    @Test
    void mostSessionsFromOnePrivateAddressWarnOnceAnHour() throws Exception {
        NatSuspicion nat = new NatSuspicion("internet", clock);
        Optional<String> warning = feed(nat, "10.0.0.5", 80, 20);
        assertTrue(warning.orElseThrow().contains("80 of the last 100 sessions came from 10.0.0.5"), warning.toString());
        assertEquals(Optional.empty(), feed(nat, "10.0.0.5", 80, 20), "quiet for an hour");
        now.set(now.get().plus(Duration.ofMinutes(61)));
        assertTrue(feed(nat, "10.0.0.5", 80, 20).isPresent());
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.5, 50, 50", "203.0.113.9, 100, 0", "172.16.1.1, 40, 60"})
    void publicAddressesOrNoMajorityStayQuiet(String address, int fromIt, int others) throws Exception {
        assertEquals(Optional.empty(), feed(new NatSuspicion("internet", clock), address, fromIt, others));
    }

    @ParameterizedTest
    @CsvSource({"10.1.2.3, true", "172.31.0.1, true", "192.168.1.1, true", "100.64.0.1, true", "127.0.0.1, true",
        "fd00::1, true", "100.128.0.1, false", "8.8.8.8, false", "2001:db8::1, false"})
    void privateMeansRfc1918CgnatUniqueLocalOrLoopback(String address, boolean expected) throws Exception {
        assertEquals(expected, NatSuspicion.isPrivate(InetAddress.getByName(address)));
    }
}
