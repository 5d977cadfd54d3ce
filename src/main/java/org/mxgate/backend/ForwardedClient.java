package org.mxgate.backend;

import java.net.Inet6Address;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.mxgate.net.ClientAddress;

/**
 * The client a backend session speaks for, as XCLIENT tells it (Postfix's XCLIENT_README):
 * the real address and port, the HELO name, the protocol and the SMTP AUTH login. Pure.
 *
 * @param helo the client's HELO/EHLO name, or null before one
 * @param protocol SMTP or ESMTP
 * @param destination the address the client connected to (our listener, or its balancer's), for PROXY v2
 * @param login the user the client authenticated as, or null
 */
public record ForwardedClient(ClientAddress client, String helo, String protocol, InetSocketAddress destination,
                              String login) implements ProxyHeader {

    public ForwardedClient(ClientAddress client, String helo, String protocol, InetSocketAddress destination) {
        this(client, helo, protocol, destination, null);
    }

    /** What must match for a backend session to speak for this client without a new XCLIENT. */
    String identity() {
        return client.ip() + "|" + client.real().getPort() + "|" + helo + "|" + protocol + "|" + login;
    }

    /**
     * What a PROXY v2 header binds a backend connection to for its whole life: the client's address
     * and the address it connected to, which the backend sees for everything on that connection.
     * Not the source port: a client's every connection has a new one, so a binding that included
     * it would never match again; the backend sees the port of the connection that opened it.
     */
    @Override
    public String proxyBinding() {
        return client.ip() + " -> " + destination.getAddress().getHostAddress() + ":" + destination.getPort();
    }

    /** The PROXY v2 header naming this client, for a backend connection that carries only its address's mail. */
    @Override
    public HAProxyMessage proxyHeader() {
        InetAddress source = client.real().getAddress();
        boolean v6 = source instanceof Inet6Address;
        InetAddress target = destination.getAddress();
        String to = (target instanceof Inet6Address) == v6 ? target.getHostAddress() : v6 ? "::" : "0.0.0.0";
        return new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                v6 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4,
                source.getHostAddress(), to, client.real().getPort(), destination.getPort());
    }

    /** The XCLIENT command with the attributes the backend offers, values xtext-encoded (RFC 3461). */
    String xclientCommand(Set<String> offered) {
        List<String> attributes = new ArrayList<>();
        InetAddress address = client.real().getAddress();
        add(attributes, offered, "NAME", "[UNAVAILABLE]");
        add(attributes, offered, "ADDR", address instanceof Inet6Address ? "IPV6:" + address.getHostAddress() : address.getHostAddress());
        add(attributes, offered, "PORT", Integer.toString(client.real().getPort()));
        if (helo != null) {
            add(attributes, offered, "HELO", helo);
        }
        add(attributes, offered, "PROTO", protocol);
        // Always sent where offered, so a reused backend session never keeps an earlier client's login.
        add(attributes, offered, "LOGIN", login == null ? "[UNAVAILABLE]" : login);
        return "XCLIENT " + String.join(" ", attributes);
    }

    private static void add(List<String> attributes, Set<String> offered, String name, String value) {
        if (offered.contains(name)) {
            attributes.add(name + "=" + xtext(value));
        }
    }

    // RFC 3461 4: '+', '=' and anything outside '!'..'~' travel as +HH.
    static String xtext(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < '!' || c > '~' || c == '+' || c == '=') {
                out.append('+').append(String.format("%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
