package org.mxgate.net;

import java.net.InetAddress;
import java.util.List;

/** A list of networks; an empty set contains no address (trust is never the default). */
public record NetworkSet(List<Cidr> networks) {

    public static final NetworkSet EMPTY = new NetworkSet(List.of());

    public NetworkSet {
        networks = List.copyOf(networks);
    }

    public static NetworkSet parse(List<String> texts) {
        return new NetworkSet(texts.stream().map(Cidr::parse).toList());
    }

    public boolean contains(InetAddress address) {
        for (Cidr network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }
}
