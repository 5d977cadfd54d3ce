package org.mxgate.config;

import java.util.List;

/**
 * The backend pools' part of a reload, which lives outside {@code config}: first every loaded
 * pool is made ready (what can fail, such as a TLS trust file that does not load, fails here, and
 * nothing changes yet), then, only when the whole reload is valid, applied together with the
 * policies. {@link PolicyReloader} runs both steps, one reload at a time, never on an event loop.
 */
@FunctionalInterface
public interface PoolReload {

    /** Makes the loaded pools ready; a {@link ConfigException} refuses the whole reload. */
    Prepared prepare(GatewayConfig loaded) throws ConfigException;

    /** Pools made ready, not yet in force. */
    @FunctionalInterface
    interface Prepared {
        /** Puts them in force; what changed, one line each. */
        List<String> apply();
    }
}
