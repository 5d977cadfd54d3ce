package org.mxgate.config;

import java.nio.file.Path;
import java.util.List;
import org.mxgate.net.NetworkSet;

/**
 * One policy file, {@code policies/<name>.yml}.
 *
 * @param acceptDomains domains (and {@code *.sub} patterns) we take mail for from anyone
 * @param relayNetworks clients that may send to any domain
 * @param route the backend pool that receives this listener's mail
 */
public record PolicyConfig(String name, Path file, List<String> acceptDomains, NetworkSet relayNetworks,
                           String route, LimitsConfig limits) {

    public PolicyConfig {
        acceptDomains = List.copyOf(acceptDomains);
    }
}
