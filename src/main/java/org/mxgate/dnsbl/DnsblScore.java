package org.mxgate.dnsbl;

import java.util.List;

/**
 * What the lists said about one client: the block lists it is on (with their TXT text), whether
 * an allow list has it, and the zones that could not be asked. Pure.
 */
public record DnsblScore(List<Listing> listings, boolean allowlisted, List<String> failedZones) {

    /** A block-list hit: the zone, its weight, and its TXT explanation or null. */
    public record Listing(String zone, double weight, String text) {
    }

    public static final DnsblScore CLEAN = new DnsblScore(List.of(), false, List.of());

    public DnsblScore {
        listings = List.copyOf(listings);
        failedZones = List.copyOf(failedZones);
    }

    /** The sum of the weights of the zones that list the client. */
    public double score() {
        return listings.stream().mapToDouble(Listing::weight).sum();
    }

    /** At or above the threshold, and no allow list vouches for the client. */
    public boolean isBlocked(double threshold) {
        return !allowlisted && !listings.isEmpty() && score() >= threshold;
    }
}
