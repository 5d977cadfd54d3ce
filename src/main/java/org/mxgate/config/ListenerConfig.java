package org.mxgate.config;

import java.net.InetAddress;
import org.mxgate.net.HostPort;

/**
 * One {@code listeners:} entry: where to listen, which policy file governs it, which balancers
 * send PROXY headers, how it speaks TLS, the local address its mail leaves for the backends from,
 * and its pregreet test.
 *
 * @param sourceAddress the local IP backend connections for this listener's sessions come from, or null
 * @param tls none; starttls (RFC 3207, offered after EHLO); implicit (RFC 8314, TLS from the first byte)
 */
public record ListenerConfig(String name, HostPort listen, String policy, ProxyProtocolConfig proxyProtocol,
                             InetAddress sourceAddress, Tls tls, PregreetConfig pregreet) {

    public enum Tls { NONE, STARTTLS, IMPLICIT }

    public ListenerConfig(String name, HostPort listen, String policy, ProxyProtocolConfig proxyProtocol,
                          InetAddress sourceAddress, Tls tls) {
        this(name, listen, policy, proxyProtocol, sourceAddress, tls, PregreetConfig.NONE);
    }

    public ListenerConfig(String name, HostPort listen, String policy, ProxyProtocolConfig proxyProtocol,
                          InetAddress sourceAddress) {
        this(name, listen, policy, proxyProtocol, sourceAddress, Tls.NONE);
    }
}
