package org.mxgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.mxgate.net.Cidr;
import org.mxgate.net.HostPort;

/**
 * The {@code admin:} block: where the status page, {@code /healthz}, {@code /metrics} and the
 * API listen, and the file holding the API's bearer token.
 *
 * @param tokenFile the token's file, or null: then the API refuses every change (read-only)
 */
public record AdminConfig(HostPort listen, Path tokenFile) {

    /**
     * Whether {@code listen} is a loopback address, judged without DNS: an IP literal in
     * 127.0.0.0/8 or ::1, or the name {@code localhost}. Any other name counts as reachable from
     * the network.
     */
    public boolean isLoopback() {
        return isLoopbackHost(listen.host());
    }

    /** The same test for any host name or IP literal (without brackets). */
    public static boolean isLoopbackHost(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            Cidr literal = Cidr.parse(host);
            return InetAddress.getByAddress(literal.network()).isLoopbackAddress();
        } catch (IllegalArgumentException | UnknownHostException e) {
            return false;
        }
    }
}
