package org.mxgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxgate.backend.Backend.State;

/**
 * What /healthz answers: draining first, then the spool budget, then each routed pool needs a
 * usable backend (up, or resting after back pressure). Pools as {@code pool:backend=state,...;pool:...}.
 */
class GatewayHealthTest {

    @ParameterizedTest(name = "draining {0}, spool spent {1}, {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            false | false | mailbox:mx1=UP,mx2=UP                | ok
            false | false | mailbox:mx1=DOWN,mx2=UP              | ok
            false | false | mailbox:mx1=DOWN,mx2=PRESSURE        | ok
            false | false | mailbox:mx1=DOWN,mx2=DRAINING        | pool mailbox has no usable backend (mx1 down, mx2 draining)
            false | false | mailbox:mx1=HALTED,mx2=DOWN          | pool mailbox has no usable backend (mx1 halted, mx2 down)
            false | false | mailbox:mx1=UP;outbound:o1=DOWN      | pool outbound has no usable backend (o1 down)
            false | false | a:x=DOWN;b:y=HALTED                  | pool a has no usable backend (x down); pool b has no usable backend (y halted)
            false | false | a:                                   | pool a has no usable backend (none configured)
            false | false | ''                                   | ok
            false | true  | mailbox:mx1=UP                       | spool disk budget nearly spent: new transactions get 452 4.3.1
            true  | false | mailbox:mx1=UP                       | draining: the gateway is stopping
            true  | true  | mailbox:mx1=DOWN                     | draining: the gateway is stopping
            """)
    void judges(boolean draining, boolean spoolSpent, String pools, String reason) {
        GatewayHealth health = GatewayHealth.judge(draining, spoolSpent, pools(pools));
        assertEquals(reason, health.reason());
        assertEquals(reason.equals("ok"), health.isOk());
    }

    private static Map<String, Map<String, State>> pools(String text) {
        Map<String, Map<String, State>> pools = new LinkedHashMap<>();
        if (text.isBlank()) {
            return pools;
        }
        for (String pool : text.split(";")) {
            String[] nameAndBackends = pool.split(":", -1);
            Map<String, State> backends = new LinkedHashMap<>();
            for (String backend : nameAndBackends[1].split(",")) {
                if (!backend.isBlank()) {
                    String[] kv = backend.split("=");
                    backends.put(kv[0], State.valueOf(kv[1]));
                }
            }
            pools.put(nameAndBackends[0], backends);
        }
        return pools;
    }
}
