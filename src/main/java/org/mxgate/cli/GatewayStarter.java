package org.mxgate.cli;

import org.mxgate.config.GatewayConfig;
import org.mxgate.listener.Gateway;

/** How a command starts a gateway; {@code Main} supplies the one that wires the object graph. */
@FunctionalInterface
public interface GatewayStarter {
    Gateway start(GatewayConfig config) throws InterruptedException;
}
