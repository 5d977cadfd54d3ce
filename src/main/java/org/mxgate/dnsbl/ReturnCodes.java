package org.mxgate.dnsbl;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.mxgate.net.Cidr;

/**
 * Which A-record answers of a zone mean "listed": single addresses, ranges
 * ({@code 127.0.0.2-127.0.0.11}) and CIDR blocks, as the zone's documentation gives them.
 * Answers in 127.255.255.0/24 are the error codes public lists send to open or abusive
 * resolvers (Spamhaus), never a listing. Pure.
 */
public final class ReturnCodes {

    private static final Cidr ERROR_ANSWERS = Cidr.parse("127.255.255.0/24");

    private record Range(long from, long to) {
    }

    private final List<Range> ranges;

    private ReturnCodes(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** @throws IllegalArgumentException for anything but IPv4 addresses, ranges and CIDR blocks */
    public static ReturnCodes parse(List<String> codes) {
        List<Range> ranges = new ArrayList<>();
        for (String code : codes) {
            String c = code.strip();
            int dash = c.indexOf('-');
            if (dash > 0) {
                long from = value(c.substring(0, dash));
                long to = value(c.substring(dash + 1));
                if (to < from) {
                    throw new IllegalArgumentException("range runs backwards: " + code);
                }
                ranges.add(new Range(from, to));
            } else {
                Cidr cidr = Cidr.parse(c);
                if (cidr.network().length != 4) {
                    throw new IllegalArgumentException("list answers are IPv4 addresses: " + code);
                }
                long start = value(cidr.network());
                ranges.add(new Range(start, start + (1L << (32 - cidr.prefix())) - 1));
            }
        }
        return new ReturnCodes(ranges);
    }

    /** Any answer from 127.0.0.0/8 but the error block: what a zone means when no codes are given. */
    public static ReturnCodes anyListing() {
        return parse(List.of("127.0.0.0/8"));
    }

    /** Whether this answer is a listing; an error answer never is. */
    public boolean isListing(InetAddress answer) {
        if (answer.getAddress().length != 4 || ERROR_ANSWERS.contains(answer)) {
            return false;
        }
        long v = value(answer.getAddress());
        return ranges.stream().anyMatch(r -> v >= r.from && v <= r.to);
    }

    /** Whether the answer is one of the list's error codes (counted and warned about, never a listing). */
    public static boolean isErrorAnswer(InetAddress answer) {
        return ERROR_ANSWERS.contains(answer);
    }

    private static long value(String address) {
        return value(Cidr.parse(address).network());
    }

    private static long value(byte[] b) {
        if (b.length != 4) {
            throw new IllegalArgumentException("list answers are IPv4 addresses");
        }
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }
}
