package org.mxgate.config;

import org.mxgate.net.HostPort;

/**
 * One backend mail server of a pool.
 *
 * @param state up, drain (no new transactions, those in flight finish) or halt (and its idle
 *              sessions closed), as the admin set it in the file
 * @param priority the group under {@code balance: priority}: the lowest group with an available
 *                 server takes all transactions
 * @param maxTransactions transactions this server takes at once; 0 for no limit
 */
public record ServerConfig(String name, HostPort address, int weight, AdminState state, int priority,
                           int maxTransactions) {

    public enum AdminState { UP, DRAIN, HALT }

    public ServerConfig(String name, HostPort address, int weight) {
        this(name, address, weight, AdminState.UP, 0, 0);
    }
}
