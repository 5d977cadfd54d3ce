package org.mxgate.dnsbl;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The name to look up for a client address in a DNS list zone (RFC 5782 2.1 and 2.4): IPv4
 * octets reversed, IPv6 nibbles reversed, then the zone. Pure.
 */
public final class ZoneQueryName {

    private ZoneQueryName() {
    }

    public static String of(InetAddress client, String zone) {
        byte[] bytes = client.getAddress();
        StringBuilder name = new StringBuilder(client instanceof Inet4Address ? 32 : 80);
        for (int i = bytes.length - 1; i >= 0; i--) {
            int b = bytes[i] & 0xff;
            if (client instanceof Inet4Address) {
                name.append(b).append('.');
            } else {
                name.append(Character.forDigit(b & 0x0f, 16)).append('.')
                        .append(Character.forDigit(b >> 4, 16)).append('.');
            }
        }
        String z = zone.endsWith(".") ? zone : zone + ".";
        return name.append(z).toString();
    }
}
