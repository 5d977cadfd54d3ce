package org.mxgate.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * The in-process {@link Counters}: one {@link SlidingWindow} per key in a Caffeine cache of at
 * most {@link #MAX_KEYS} keys, each forgotten one window after its last change and removed as
 * soon as its count is back to zero, so memory stays bounded whatever clients send (about 300
 * bytes a key, measured: some 15 MB at the bound). Past the bound Caffeine evicts the keys it judges least
 * likely to be used again; a busy client's key, touched by each of its connections, stays, while
 * a flood of one-off addresses evicts its own kind first. An evicted key counts from zero again.
 */
public final class LocalCounters implements Counters {

    static final long MAX_KEYS = 50_000;

    private final Ticker ticker;
    private final Cache<String, SlidingWindow> windows;

    public LocalCounters() {
        this(Ticker.systemTicker());
    }

    /** @param ticker what the windows are measured with: the system's, or a test's */
    public LocalCounters(Ticker ticker) {
        this.ticker = ticker;
        this.windows = Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                // Each window lives as long as it counts, from its last write.
                .expireAfter(Expiry.writing((String key, SlidingWindow window) -> Duration.ofNanos(window.windowNanos())))
                .ticker(ticker)
                // Evictions run on the thread that wrote, so the bound holds after every write.
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Tally increment(String key, Duration window) {
        long now = ticker.read();
        SlidingWindow counted = windows.asMap().compute(key, (k, old) -> {
            // Another window for the same key (a reloaded policy's rate_window) starts over.
            SlidingWindow w = old == null || old.windowNanos() != window.toNanos() ? new SlidingWindow(window, now) : old;
            w.add(now);
            return w;
        });
        return counted.tally(now);
    }

    @Override
    public Tally read(String key, Duration window) {
        SlidingWindow w = windows.getIfPresent(key);
        return w == null || w.windowNanos() != window.toNanos() ? Tally.NONE : w.tally(ticker.read());
    }

    @Override
    public void release(String key) {
        long now = ticker.read();
        windows.asMap().computeIfPresent(key, (k, w) -> w.removeLatest(now) ? null : w);
    }

    /** Keys held now, after pending evictions: what the bound holds to (LocalCountersTest). */
    long size() {
        windows.cleanUp();
        return windows.estimatedSize();
    }
}
