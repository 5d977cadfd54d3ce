package org.mxgate.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mxgate.net.NetworkSet;

/**
 * One policy file, {@code policies/<name>.yml}.
 *
 * @param acceptDomains domains (and {@code *.sub} patterns) we take mail for from anyone
 * @param relayNetworks clients that may send to any domain
 * @param routes recipient domain pattern (exact, {@code *.sub}, or {@code *} for the rest) to
 *               backend pool, in file order; always has {@code *}
 */
public record PolicyConfig(String name, Path file, List<String> acceptDomains, NetworkSet relayNetworks,
                           Map<String, String> routes, LimitsConfig limits) {

    public static final String DEFAULT_ROUTE = "*";

    public PolicyConfig {
        acceptDomains = List.copyOf(acceptDomains);
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    }
}
