package org.mxgate.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.util.Locale;
import org.mxgate.config.AuthLimitsConfig;

/**
 * Failed logins counted per client address and per login, each count forgotten one failure window
 * after its latest failure. A success never resets a count: an attacker who guesses one account
 * must not wipe the record of the address it guessed from. Bounded in memory whatever a client sends.
 */
public final class AuthFailures {

    // About 100 bytes an entry: a few megabytes at most, even under a spray of addresses or names.
    private static final long MAX_ENTRIES = 100_000;

    private final AuthLimitsConfig limits;
    private final Cache<InetAddress, Integer> byClient;
    private final Cache<String, Integer> byLogin;

    public AuthFailures(AuthLimitsConfig limits) {
        this(limits, Ticker.systemTicker());
    }

    AuthFailures(AuthLimitsConfig limits, Ticker ticker) {
        this.limits = limits;
        this.byClient = counters(limits, ticker);
        this.byLogin = counters(limits, ticker);
    }

    private static <K> Cache<K, Integer> counters(AuthLimitsConfig limits, Ticker ticker) {
        // expireAfterWrite, and every failure writes a new count: the window runs from the latest failure.
        return Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfterWrite(limits.failureWindow())
                .ticker(ticker)
                .build();
    }

    /** Whether this client, or anyone trying this login, has used up its failures; a null login checks the client only. */
    public boolean isBlocked(InetAddress client, String login) {
        if (count(byClient, client) >= limits.maxFailuresPerClient()) {
            return true;
        }
        return login != null && count(byLogin, key(login)) >= limits.maxFailuresPerUser();
    }

    /** One more failure for the client and, when there is one, the login. */
    public void recordFailure(InetAddress client, String login) {
        // Map.merge on Caffeine's view is atomic and counts as a write, so it restarts the window.
        byClient.asMap().merge(client, 1, Integer::sum);
        if (login != null) {
            byLogin.asMap().merge(key(login), 1, Integer::sum);
        }
    }

    /** Failures remembered for this client address. */
    public int failures(InetAddress client) {
        return count(byClient, client);
    }

    private static <K> int count(Cache<K, Integer> counts, K key) {
        Integer n = counts.getIfPresent(key);
        return n == null ? 0 : n;
    }

    // Logins compare without regard to case, as UsersConfig.find does: Alice and alice share one count.
    private static String key(String login) {
        return login.toLowerCase(Locale.ROOT);
    }
}
