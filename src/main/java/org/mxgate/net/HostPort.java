package org.mxgate.net;

import java.net.InetSocketAddress;

/**
 * An address and port as written in the config: {@code 127.0.0.1:2525}, {@code [::1]:25},
 * {@code mx1.example.test:25}. Names are resolved only when connecting, never here.
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static HostPort parse(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got " + text);
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty host in " + text);
            }
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write an IPv6 address in brackets: [" + host + "]:port");
        }
        int port;
        try {
            String digits = t.substring(colon + 1);
            if (!digits.chars().allMatch(Character::isDigit)) {
                throw new NumberFormatException(digits);
            }
            port = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text);
        }
        return new HostPort(host, port);
    }

    public InetSocketAddress unresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** For binding and connecting; a literal resolves without DNS, a name at the moment of use. */
    public InetSocketAddress resolved() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
