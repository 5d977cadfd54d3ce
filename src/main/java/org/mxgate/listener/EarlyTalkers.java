package org.mxgate.listener;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Duration;

/**
 * The client addresses one listener's pregreet test refused lately, each forgotten
 * {@code pregreet_remember} after it last talked early (a remembered client is refused before it
 * can talk, so connecting again does not extend its time). Bounded in memory whatever a spray of
 * addresses does: past the bound Caffeine evicts the entries least likely to be asked for again.
 */
final class EarlyTalkers {

    /** About 100 bytes an entry (Caffeine's node and an InetAddress): 10 MB at most per listener. */
    static final long MAX_ENTRIES = 100_000;

    private final Cache<InetAddress, Boolean> refused;

    EarlyTalkers(Duration remember) {
        this(remember, MAX_ENTRIES, Ticker.systemTicker());
    }

    EarlyTalkers(Duration remember, long maxEntries, Ticker ticker) {
        this.refused = remember.isZero() ? null
                : Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(remember).ticker(ticker).build();
    }

    void remember(InetAddress client) {
        if (refused != null) {
            refused.put(client, Boolean.TRUE);
        }
    }

    boolean isRemembered(InetAddress client) {
        return refused != null && refused.getIfPresent(client) != null;
    }

    /** Entries held now, after pending evictions: what the bound limits. */
    long size() {
        if (refused == null) {
            return 0;
        }
        refused.cleanUp();
        return refused.estimatedSize();
    }
}
