package org.mxgate.policy;

import org.mxgate.net.ClientAddress;

/** What a session knows about its client when it asks the policy: the real address and the HELO name. */
public record ClientFacts(ClientAddress client, String helo) {
}
