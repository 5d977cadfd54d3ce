package org.mxgate.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The name a client address is counted under: the network of the policy's prefix length that
 * holds it. One IPv6 host is given a whole /64 (RFC 4291 2.5.4, RFC 6177), so counting its
 * addresses one by one would let it rotate past every limit; it is counted per /64 by default.
 * An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is the IPv4 client it carries. Pure.
 */
public final class AddressKey {

    private AddressKey() {
    }

    /** {@code 192.0.2.1} (a whole address), {@code 192.0.2.0/24}, or {@code 2001:db8:1:2::/64}. */
    public static String of(InetAddress address, int ipv4Prefix, int ipv6Prefix) {
        byte[] bytes = unmapped(address.getAddress());
        int prefix = bytes.length == 4 ? ipv4Prefix : ipv6Prefix;
        if (prefix >= bytes.length * 8) {
            return text(bytes);
        }
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xFF << (8 - keep));
        }
        return text(bytes) + "/" + prefix;
    }

    private static byte[] unmapped(byte[] bytes) {
        boolean mapped = bytes.length == 16 && bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
        for (int i = 0; mapped && i < 10; i++) {
            mapped = bytes[i] == 0;
        }
        return mapped ? Arrays.copyOfRange(bytes, 12, 16) : bytes.clone();
    }

    private static String text(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
