package org.mxgate.admin;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.mxgate.backend.Backend;

/**
 * What {@code /healthz} answers, decided from plain facts: what an upstream load balancer should
 * probe to know whether this gateway can deliver. Pure.
 * <ol>
 * <li>A gateway that is stopping (SIGTERM) is unhealthy at once, so balancers stop sending
 * before its listeners close.</li>
 * <li>Within its own budgets: when the spool's disk budget is nearly spent, new transactions get
 * 452 4.3.1 at MAIL, so the gateway is unhealthy until bodies are released.</li>
 * <li>Every pool a listener routes to has a usable backend: one up, enabled, and not drained or
 * halted. A backend resting after back pressure counts as usable: the rest is short, the
 * balancer still gives it a transaction when nothing else is left, and a pressure that lasts
 * fails the probes and takes it down.</li>
 * </ol>
 *
 * @param reason one line: {@code ok}, or why not
 */
public record GatewayHealth(boolean isOk, String reason) {

    public static GatewayHealth judge(boolean draining, boolean spoolNearlySpent,
                                      Map<String, Map<String, Backend.State>> routedPools) {
        if (draining) {
            return new GatewayHealth(false, "draining: the gateway is stopping");
        }
        if (spoolNearlySpent) {
            return new GatewayHealth(false, "spool disk budget nearly spent: new transactions get 452 4.3.1");
        }
        List<String> unusable = routedPools.entrySet().stream()
                .filter(pool -> pool.getValue().values().stream().noneMatch(GatewayHealth::isUsable))
                .map(pool -> "pool " + pool.getKey() + " has no usable backend (" + describe(pool.getValue()) + ")")
                .toList();
        if (!unusable.isEmpty()) {
            return new GatewayHealth(false, String.join("; ", unusable));
        }
        return new GatewayHealth(true, "ok");
    }

    static boolean isUsable(Backend.State state) {
        return state == Backend.State.UP || state == Backend.State.PRESSURE;
    }

    private static String describe(Map<String, Backend.State> backends) {
        if (backends.isEmpty()) {
            return "none configured";
        }
        return backends.entrySet().stream()
                .map(b -> b.getKey() + " " + b.getValue().name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
