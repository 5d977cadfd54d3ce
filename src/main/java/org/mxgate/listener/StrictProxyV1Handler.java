package org.mxgate.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * In front of Netty's HAProxyMessageDecoder on connections from trusted balancers: holds the
 * first bytes until a PROXY v1 line is complete, and lets it through only when it keeps to the
 * grammar of the PROXY protocol specification (haproxy doc/proxy-protocol.txt 2.1) to the letter.
 * Netty's decoder is lenient where parsers disagree: it reads {@code 203.0.113.010} as .10 and
 * port {@code 056324} as 56324 where others read octal, and it ends a line only at CRLF, so a
 * bare LF or CR stays inside the line. A line it would read differently from its peers is refused
 * here with HAProxyProtocolException, which ProxyHeaderHandler logs and answers by closing. A v2
 * header passes untouched. Removes itself, handing on every byte it held, once the line is through.
 */
final class StrictProxyV1Handler extends ByteToMessageDecoder {

    // 2.1: "PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n", the longest line, is 107 bytes.
    static final int MAX_LINE = 107;

    // 2.1: "Heading zeroes are not permitted in front of numbers in order to avoid any possible
    // confusion with octal numbers", for the four numbers of an IPv4 address and for both ports.
    private static final String NUMBER = "(0|[1-9][0-9]*)";
    private static final Pattern IPV4 = Pattern.compile(NUMBER + "(\\." + NUMBER + "){3}");
    // Netty checks the rest of an IPv6 address; an IPv4 tail (::ffff:192.0.2.1) keeps the IPv4 rule.
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]+(:" + IPV4.pattern() + ")?");

    private boolean refused;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        // The v2 signature begins with CR; HAProxyMessageDecoder reads anything else as a v1 line.
        if (in.getByte(in.readerIndex()) == '\r') {
            ctx.pipeline().remove(this);
            return;
        }
        int end = in.indexOf(in.readerIndex(), in.readerIndex() + Math.min(in.readableBytes(), MAX_LINE), (byte) '\n');
        if (end < 0 && in.readableBytes() < MAX_LINE) {
            return;
        }
        String line = in.toString(in.readerIndex(), end < 0 ? MAX_LINE : end + 1 - in.readerIndex(),
                StandardCharsets.ISO_8859_1);
        String problem = end < 0 ? "no CRLF within " + MAX_LINE + " bytes" : problem(line);
        if (problem != null) {
            refused = true;
            in.skipBytes(in.readableBytes());
            throw new HAProxyProtocolException("PROXY v1 line refused, " + problem + ": " + line);
        }
        ctx.pipeline().remove(this);
    }

    /** Why a v1 line, with its line end, breaks the specification's grammar; null when it keeps to it. */
    static String problem(String line) {
        if (!line.endsWith("\r\n")) {
            return "ended by a bare LF";
        }
        String text = line.substring(0, line.length() - 2);
        if (text.indexOf('\r') >= 0) {
            return "a bare CR inside";
        }
        // 2.1: for UNKNOWN "the receiver must ignore anything presented before the CRLF".
        if (text.equals("PROXY UNKNOWN") || text.startsWith("PROXY UNKNOWN ")) {
            return null;
        }
        String[] fields = text.split(" ", -1);
        if (fields.length != 6 || !fields[0].equals("PROXY") || !fields[1].equals("TCP4") && !fields[1].equals("TCP6")) {
            return "not 'PROXY TCP4|TCP6 source destination sport dport' with single spaces";
        }
        boolean v4 = fields[1].equals("TCP4");
        for (int i = 2; i <= 5; i++) {
            String field = fields[i];
            String name = i == 2 || i == 4 ? "source" : "destination";
            if (i <= 3 && (!(v4 ? IPV4 : IPV6).matcher(field).matches() || !octetsInRange(field))) {
                return name + " address " + field + (v4 ? " is not dotted decimal IPv4 (0 to 255, no leading zeros)"
                        : " is not IPv6 (any IPv4 tail: 0 to 255, no leading zeros)");
            }
            if (i >= 4 && (!field.matches(NUMBER) || field.length() > 5 || Integer.parseInt(field) > 65535)) {
                return name + " port " + field + " is not a number from 0 to 65535 without leading zeros";
            }
        }
        return null;
    }

    private static boolean octetsInRange(String address) {
        int tail = address.lastIndexOf(':') + 1;
        if (address.indexOf('.') < 0) {
            return true;
        }
        for (String octet : address.substring(tail).split("\\.")) {
            if (octet.length() > 3 || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }
}
