package org.mxgate.backend;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;

/**
 * What a backend connection of a {@code forward_client_ip: proxy_v2} pool opens with: a PROXY
 * v2 header, and what that header binds the connection to for its whole life. Mail connections
 * name their client ({@link ForwardedClient}); health probes send {@link #LOCAL}.
 */
interface ProxyHeader {

    /**
     * A health probe's header: the LOCAL command, which says the connection is the proxy's own
     * (HAProxy's checks send the same with {@code send-proxy-v2}). A backend that requires the
     * header (Postfix's {@code smtpd_upstream_proxy_protocol}) would otherwise wait for it and
     * drop the probe, and the pool would go down while mail flows.
     */
    ProxyHeader LOCAL = new ProxyHeader() {
        @Override
        public HAProxyMessage proxyHeader() {
            return new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN,
                    null, null, 0, 0);
        }

        @Override
        public String proxyBinding() {
            return "local";
        }
    };

    /** A new header each time: the encoder releases what it writes. */
    HAProxyMessage proxyHeader();

    /** What the connection then carries mail for; idle connections are reused only for the same. */
    String proxyBinding();
}
