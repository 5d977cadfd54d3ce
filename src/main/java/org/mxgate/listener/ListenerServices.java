package org.mxgate.listener;

import java.time.Clock;
import org.mxgate.auth.Authenticator;
import org.mxgate.config.ListenerConfig;
import org.mxgate.dnsbl.DnsblChecker;
import org.mxgate.limits.ListenerLimits;
import org.mxgate.mail.InstanceId;
import org.mxgate.mail.SpoolBudget;
import org.mxgate.relay.TransactionRelay;
import org.mxgate.tls.ServerTls;

/**
 * What every session of one listener shares: its config, our hostname, how a transaction gets
 * its relay, the clock, the listener's NAT watch, the DNS list checker (null when no lists are
 * configured), the certificate (null when no listener uses TLS), the login checker and the
 * listener's limits on its clients, the process's spool budget and what the listener's sessions
 * report to its metrics, and the gateway instance's ids, which its sessions' ids come from.
 */
record ListenerServices(ListenerConfig config, String hostname, TransactionRelay.Opener relays, Clock clock,
                        NatSuspicion nat, DnsblChecker dnsbl, ServerTls tls, Authenticator auth, ListenerLimits limits,
                        SpoolBudget budget, ListenerEvents events, InstanceIds ids) {

    /** Without a spool budget of their own, with meters nothing reads and ids of an instance "0": for tests of one session. */
    ListenerServices(ListenerConfig config, String hostname, TransactionRelay.Opener relays, Clock clock,
                     NatSuspicion nat, DnsblChecker dnsbl, ServerTls tls, Authenticator auth, ListenerLimits limits) {
        this(config, hostname, relays, clock, nat, dnsbl, tls, auth, limits, SpoolBudget.UNLIMITED,
                ListenerEvents.unread(config.name()), InstanceIds.of(new InstanceId("0")));
    }
}
