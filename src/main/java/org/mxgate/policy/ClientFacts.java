package org.mxgate.policy;

import org.mxgate.dnsbl.DnsblScore;
import org.mxgate.net.ClientAddress;

/**
 * What a session knows about its client when it asks the policy: the real address, the HELO
 * name, what the DNS lists said (null when no list was asked), the login it authenticated as
 * (null when none) and whether the session is encrypted.
 */
public record ClientFacts(ClientAddress client, String helo, DnsblScore dnsbl, String login, boolean tls) {

    public ClientFacts(ClientAddress client, String helo) {
        this(client, helo, null);
    }

    public ClientFacts(ClientAddress client, String helo, DnsblScore dnsbl) {
        this(client, helo, dnsbl, null, false);
    }

    public boolean isAuthenticated() {
        return login != null;
    }
}
