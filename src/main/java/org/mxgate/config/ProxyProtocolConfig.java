package org.mxgate.config;

import java.time.Duration;
import org.mxgate.net.NetworkSet;

/**
 * A listener's {@code proxy_protocol:} block: which peers (load balancers) may, and must,
 * start each connection with a PROXY v1 or v2 header naming the real client.
 *
 * @param timeout how long a trusted peer has to send its header before the connection is closed
 */
public record ProxyProtocolConfig(NetworkSet trusted, Duration timeout) {

    public static final ProxyProtocolConfig NONE = new ProxyProtocolConfig(NetworkSet.EMPTY, Duration.ofSeconds(5));

    public boolean isEnabled() {
        return !trusted.networks().isEmpty();
    }
}
