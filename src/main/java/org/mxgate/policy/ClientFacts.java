package org.mxgate.policy;

import org.mxgate.dnsbl.DnsblScore;
import org.mxgate.net.ClientAddress;

/**
 * What a session knows about its client when it asks the policy: the real address, the HELO
 * name, and what the DNS lists said (null when no list was asked).
 */
public record ClientFacts(ClientAddress client, String helo, DnsblScore dnsbl) {

    public ClientFacts(ClientAddress client, String helo) {
        this(client, helo, null);
    }
}
