package org.mxgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mxgate.net.Cidr;
import org.mxgate.net.HostPort;
import org.mxgate.net.NetworkSet;

/**
 * One {@code listeners:} entry of conf/mxgate.yml into a {@link ListenerConfig}, and the checks of
 * a listener against its policy that keep the gateway from relaying or asking for passwords in
 * the clear. Every mistake is recorded on its node as {@code file:line: reason}.
 */
final class ListenerReader {

    private static final Block LISTENER = new Block("proxy_protocol");
    private static final Key<String> NAME = LISTENER.requiredText("name");
    private static final Key<HostPort> LISTEN = LISTENER.key("listen", null, HostPort::parse);
    /** Default: the listener's name. */
    private static final Key<String> POLICY = LISTENER.text("policy", null);
    private static final Key<ListenerConfig.Tls> TLS = LISTENER.choice("tls", ListenerConfig.Tls.NONE);
    private static final Key<InetAddress> SOURCE_ADDRESS = LISTENER.key("source_address", null, ListenerReader::oneAddress);
    private static final Key<Duration> GREET_DELAY = LISTENER.key("greet_delay", PregreetConfig.NONE.delay(),
            ListenerReader::greetDelay);
    private static final Key<Boolean> GREET_TEASER = LISTENER.bool("greet_teaser", PregreetConfig.NONE.teaser());
    private static final Key<Duration> PREGREET_REMEMBER = LISTENER.duration("pregreet_remember",
            PregreetConfig.NONE.remember());

    /** Postscreen waits 6 s; a minute is already far more than any client needs to show itself. */
    private static final Duration MAX_GREET_DELAY = Duration.ofMinutes(1);

    private static final Block PROXY_PROTOCOL = new Block("trusted");
    private static final Key<Duration> PROXY_TIMEOUT = PROXY_PROTOCOL.duration("timeout", ProxyProtocolConfig.NONE.timeout());

    private ListenerReader() {
    }

    /** The listener, or null when its name or address cannot be read (the mistake is recorded). */
    static ListenerConfig read(ConfigNode node) {
        node.allowOnly(LISTENER);
        String name = node.value(NAME);
        HostPort listen = node.value(LISTEN);
        if (listen == null) {
            node.error("listener needs 'listen: address:port'");
        }
        String policy = node.value(POLICY);
        ProxyProtocolConfig proxyProtocol = proxyProtocol(node.child("proxy_protocol"));
        ListenerConfig.Tls tls = node.value(TLS);
        PregreetConfig pregreet = pregreet(node, tls);
        return name == null || listen == null ? null
                : new ListenerConfig(name, listen, policy == null ? name : policy, proxyProtocol, node.value(SOURCE_ADDRESS),
                        tls, pregreet);
    }

    private static PregreetConfig pregreet(ConfigNode node, ListenerConfig.Tls tls) {
        PregreetConfig pregreet = new PregreetConfig(node.value(GREET_DELAY), node.value(GREET_TEASER),
                node.value(PREGREET_REMEMBER));
        // RFC 8314 3: with implicit TLS the client speaks first (its handshake), so nobody could pass.
        if (pregreet.isEnabled() && tls == ListenerConfig.Tls.IMPLICIT) {
            node.child(GREET_DELAY.name()).error("greet_delay cannot apply to a listener with tls: implicit, where the"
                    + " client speaks first (its TLS handshake); use it on the port 25 listener");
        }
        if (pregreet.teaser() && !pregreet.isEnabled()) {
            node.child(GREET_TEASER.name()).error("greet_teaser needs greet_delay: the last 220 line follows the delay");
        }
        return pregreet;
    }

    /**
     * RFC 5321 4.5.3.2.1: a client waits 5 minutes for the greeting, so a delay far below that
     * costs a real sender nothing but time.
     */
    private static Duration greetDelay(String text) {
        Duration delay = Key.parseDuration(text);
        if (delay.compareTo(MAX_GREET_DELAY) > 0) {
            throw new IllegalArgumentException("greet_delay must be at most 1m; clients give up after 5m and every"
                    + " connection waits this long; postscreen waits 6s");
        }
        return delay;
    }

    private static ProxyProtocolConfig proxyProtocol(ConfigNode node) {
        node.allowOnly(PROXY_PROTOCOL);
        List<String> trusted = new ArrayList<>();
        for (ConfigNode peer : node.list("trusted")) {
            if (peer.parse(Cidr::parse, null) != null) {
                trusted.add(peer.scalar());
            }
        }
        return new ProxyProtocolConfig(trusted.isEmpty() ? NetworkSet.EMPTY : NetworkSet.parse(trusted),
                node.value(PROXY_TIMEOUT));
    }

    /** {@code source_address}, of a listener or a pool: an IP literal of this host to connect to backends from. */
    static InetAddress oneAddress(String text) {
        Cidr cidr = Cidr.parse(text);
        if (cidr.prefix() != cidr.network().length * 8) {
            throw new IllegalArgumentException("source_address is one address, not a network: '" + text + "'");
        }
        try {
            return InetAddress.getByAddress(cidr.network());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
    }

    /**
     * Never an open relay: the balancer itself must not be a relay client of the listener it
     * speaks PROXY to, or every client behind it could relay. Refused unless the policy says
     * allow_wide_relay_networks.
     */
    static void checkBalancerNotRelay(ConfigNode listenerNode, ListenerConfig listener, PolicyConfig policy) {
        if (policy.allowWideRelayNetworks()) {
            return;
        }
        for (Cidr peer : listener.proxyProtocol().trusted().networks()) {
            for (Cidr relay : policy.relayNetworks().networks()) {
                if (peer.overlaps(relay)) {
                    listenerNode.child("proxy_protocol").error("trusted PROXY peer " + peer + " of listener '"
                            + listener.name() + "' overlaps relay network " + relay + " of " + policy.file()
                            + ": every client behind that balancer could relay; give the balancer's address no relay"
                            + " rights (or set allow_wide_relay_networks: true if that is really meant)");
                }
            }
        }
    }

    /**
     * AUTH only over TLS on listeners that face the internet: a policy that offers AUTH, or
     * requires TLS, on a listener without TLS could never be satisfied, or would send passwords
     * in the clear, so it is refused at load rather than discovered by a user.
     */
    static void checkTlsForAuth(ConfigNode listenerNode, ListenerConfig listener, PolicyConfig policy) {
        if (listener.tls() != ListenerConfig.Tls.NONE) {
            return;
        }
        if (policy.auth().enabled() && !policy.auth().plaintextOnLoopback()) {
            listenerNode.error("listener '" + listener.name() + "' has tls: none but its policy " + policy.file()
                    + " enables auth, which is offered only over TLS: set tls: starttls or implicit (or, for"
                    + " loopback clients only, auth.allow_plaintext_loopback: true)");
        }
        if (policy.requireTls()) {
            listenerNode.error("listener '" + listener.name() + "' has tls: none but its policy " + policy.file()
                    + " sets require_tls: no client could ever send; set tls: starttls or implicit");
        }
    }
}
