package org.mxgate.net;

import java.net.InetSocketAddress;

/**
 * Who is on the other end of a session: the real client, and the balancer it came through
 * when a trusted PROXY header named the client (null when the client connected directly).
 */
public record ClientAddress(InetSocketAddress real, InetSocketAddress balancer) {

    public static ClientAddress direct(InetSocketAddress peer) {
        return new ClientAddress(peer, null);
    }

    /** The address as policy and logs show it: {@code 203.0.113.7}. */
    public String ip() {
        return real.getAddress().getHostAddress();
    }

    public String balancerIp() {
        return balancer == null ? null : balancer.getAddress().getHostAddress();
    }
}
