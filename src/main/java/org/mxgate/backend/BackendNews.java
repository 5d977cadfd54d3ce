package org.mxgate.backend;

import java.time.Duration;
import org.mxgate.config.ServerConfig;

/**
 * What this instance tells the other instances about a backend (shared_state): an admin state
 * set here through the API or the command line, and a back-pressure cooldown that a backend's
 * reply started here. Called on the thread that made the change (an event loop, the admin
 * thread); an implementation never blocks.
 */
public interface BackendNews {

    BackendNews NONE = new BackendNews() {
        @Override
        public void adminState(String pool, String backend, ServerConfig.AdminState state) {
        }

        @Override
        public void pressure(String pool, String backend, Duration cooldown, String what) {
        }
    };

    void adminState(String pool, String backend, ServerConfig.AdminState state);

    /** @param cooldown how long, from now, the backend takes no new transactions */
    void pressure(String pool, String backend, Duration cooldown, String what);
}
