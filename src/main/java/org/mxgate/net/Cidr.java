package org.mxgate.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare
 * address is a /32 or /128. Parsing never resolves names.
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = network.clone();
    }

    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address = literal(host);
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix length out of range in " + text);
            }
        }
        return new Cidr(mask(address, prefix), prefix);
    }

    /** Parses an IP literal without any DNS lookup; anything else is refused. */
    static byte[] literal(String host) {
        // The JDK looks up as a name whatever it cannot parse as a literal: "300.1.1.1", or an
        // IPv6 form starting with a dot. Those are refused first, so DNS never chooses a relay
        // network (ConfigLoaderFuzzTest).
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                && Arrays.stream(host.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        boolean v6 = host.contains(":") && host.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("not an IP address: " + host);
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host);
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xFF << (8 - keep));
        }
        return out;
    }

    /** Prefixes shorter than these count as wide for relay networks. */
    public static final int WIDE_IPV4 = 8;
    public static final int WIDE_IPV6 = 16;

    /**
     * Wider than a /8 (IPv4) or a /16 (IPv6): far more than any one organisation's hosts. IPv6
     * unique local space (fc00::/7, RFC 4193) is private however wide.
     */
    public boolean isWide() {
        if (network.length == 4) {
            return prefix < WIDE_IPV4;
        }
        boolean uniqueLocal = prefix >= 7 && (network[0] & 0xfe) == 0xfc;
        return prefix < WIDE_IPV6 && !uniqueLocal;
    }

    /** A copy: the network must not be changed through its accessor (a relay network could widen). */
    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Whether the two networks share an address (one contains the other's start). */
    public boolean overlaps(Cidr other) {
        if (network.length != other.network.length) {
            return false;
        }
        int common = Math.min(prefix, other.prefix);
        return Arrays.equals(mask(network, common), mask(other.network, common));
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 client it carries.
            bytes = unmapped(bytes);
            if (bytes.length != network.length) {
                return false;
            }
        }
        return Arrays.equals(mask(bytes, prefix), network);
    }

    private static byte[] unmapped(byte[] bytes) {
        if (bytes.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return bytes;
                }
            }
            if (bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF) {
                return Arrays.copyOfRange(bytes, 12, 16);
            }
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
