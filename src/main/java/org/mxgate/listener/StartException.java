package org.mxgate.listener;

import org.mxgate.backend.Transport;
import org.mxgate.net.HostPort;

/**
 * The gateway could not start, for a reason the admin fixes outside it (a port in use, a file it
 * cannot read); the message says what and where, and is all {@code mxgate run} prints. Nothing
 * the gateway opened is left running when it is thrown.
 */
public final class StartException extends RuntimeException {

    public StartException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code listener internet: cannot bind 127.0.0.1:2525: Address already in use}, for a
     * listening socket that could not be bound ({@code what} names it).
     */
    public static StartException cannotBind(String what, HostPort address, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.toString() : Transport.reason(cause.getMessage());
        // Ports below 1024 need root or the capability; the systemd unit in deploy/ grants it.
        String hint = reason.contains("Permission denied") && address.port() < 1024
                ? " (a port below 1024 needs CAP_NET_BIND_SERVICE, see deploy/systemd/mxgate.service)" : "";
        return new StartException(what + ": cannot bind " + address + ": " + reason + hint, cause);
    }
}
