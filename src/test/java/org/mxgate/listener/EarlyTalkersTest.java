package org.mxgate.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Early talkers are remembered for pregreet_remember after they talked, never longer, and never more than the bound. */
class EarlyTalkersTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker clock = nanos::get;

    @Test
    void rememberedUntilTheTimeIsUp() throws Exception {
        EarlyTalkers talkers = new EarlyTalkers(Duration.ofHours(1), EarlyTalkers.MAX_ENTRIES, clock);
        InetAddress bot = InetAddress.getByName("203.0.113.7");
        talkers.remember(bot);
        nanos.addAndGet(Duration.ofMinutes(59).toNanos());
        assertTrue(talkers.isRemembered(bot));
        assertFalse(talkers.isRemembered(InetAddress.getByName("203.0.113.8")));
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        assertFalse(talkers.isRemembered(bot));
    }

    @Test
    void zeroRemembersNobody() throws Exception {
        EarlyTalkers talkers = new EarlyTalkers(Duration.ZERO);
        InetAddress bot = InetAddress.getByName("203.0.113.7");
        talkers.remember(bot);
        assertFalse(talkers.isRemembered(bot));
        assertEquals(0, talkers.size());
    }

    @Test
    void aSprayOfAddressesStaysWithinTheBound() throws Exception {
        EarlyTalkers talkers = new EarlyTalkers(Duration.ofHours(1), 1000, clock);
        for (int i = 0; i < 5000; i++) {
            talkers.remember(InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (i >> 8), (byte) i}));
        }
        assertTrue(talkers.size() <= 1000, "held " + talkers.size());
    }
}
