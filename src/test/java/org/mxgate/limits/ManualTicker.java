package org.mxgate.limits;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker the test moves on by hand; it starts far from zero, as System.nanoTime may. */
final class ManualTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong(-7_000_000_000_123L);

    @Override
    public long read() {
        return nanos.get();
    }

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
