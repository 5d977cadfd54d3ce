package org.mxgate.listener;

import java.time.Clock;
import java.util.function.Function;
import org.mxgate.backend.BackendPool;
import org.mxgate.config.ListenerConfig;
import org.mxgate.auth.Authenticator;
import org.mxgate.dnsbl.DnsblChecker;
import org.mxgate.relay.Spool;
import org.mxgate.tls.ServerTls;

/**
 * What every session of one listener shares: its config, our hostname, the pools by name, the
 * spool, the clock, the listener's NAT watch, the DNS list checker (null when no lists are configured),
 * the certificate (null when no listener uses TLS) and the login checker.
 */
record ListenerServices(ListenerConfig config, String hostname, Function<String, BackendPool> pools,
                        Spool spool, Clock clock, NatSuspicion nat, DnsblChecker dnsbl, ServerTls tls,
                        Authenticator auth) {
}
