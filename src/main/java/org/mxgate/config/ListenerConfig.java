package org.mxgate.config;

import java.net.InetAddress;
import org.mxgate.net.HostPort;

/**
 * One {@code listeners:} entry: where to listen, which policy file governs it, which balancers
 * send PROXY headers, how it speaks TLS, and the local address its mail leaves for the backends from.
 *
 * @param sourceAddress the local IP backend connections for this listener's sessions come from, or null
 * @param tls none; starttls (RFC 3207, offered after EHLO); implicit (RFC 8314, TLS from the first byte)
 */
public record ListenerConfig(String name, HostPort listen, String policy, ProxyProtocolConfig proxyProtocol,
                             InetAddress sourceAddress, Tls tls) {

    public enum Tls { NONE, STARTTLS, IMPLICIT }

    public ListenerConfig(String name, HostPort listen, String policy, ProxyProtocolConfig proxyProtocol,
                          InetAddress sourceAddress) {
        this(name, listen, policy, proxyProtocol, sourceAddress, Tls.NONE);
    }
}
