package org.mxgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxgate.backend.Backend;

/** {@code mxgate status}: the health line, the instance, then listeners and backends in aligned columns, names escaped. */
class StatusTableTest {

    @Test
    void rendersAlignedColumns() {
        String table = StatusTable.render(StatusFixtures.twoBackends(Backend.State.DRAINING, true));
        assertEquals("""
                mxgate mx.example.test: healthy
                instance mx1

                LISTENER  ADDRESS       SESSIONS  ACCEPTED/1H  REFUSED/1H
                internet  0.0.0.0:2525         3          120           6

                POOL/BACKEND  ADDRESS       STATE     SINCE (UTC)                  IN FLIGHT  LAST HOUR  LAST PROBE
                mailbox/mx1   10.0.1.11:25  up        2026-11-27 11:53:00 (7 min)          1        590  12 ms MAIL FROM answered 250 2.1.0 Ok
                mailbox/mx2   10.0.1.11:25  draining  2026-11-27 11:53:00 (7 min)          1        295  12 ms MAIL FROM answered 250 2.1.0 Ok
                """, table);
    }

    @Test
    void withSharedStateTheInstancesFollowThisOneStarredWithWhatIsNotUp() {
        String table = StatusTable.render(StatusFixtures.withPeers("archive", "ar1"));
        assertTrue(table.endsWith("""

                INSTANCE  NAME           SESSIONS  SEES (NOT UP)
                mx1 *     mx1.1a-aaaaaa         3  all up
                mx2       mx2.2b-bbbbbb         4  mailbox/mx2 down
                mx3       mx3.3c-cccccc         ?  archive/ar1 halted
                """), table);
    }

    @Test
    void namesCannotWriteControlCharactersToTheTerminal() {
        String evil = "mx\u001b[2J\nforged";
        StatusSnapshot status = StatusFixtures.snapshot("mx.example.test", "p", List.of(StatusFixtures.backend(evil,
                Backend.State.UP, new long[60])), false, new GatewayHealth(false, "pool p has no usable backend (" + evil + ")"));
        String table = StatusTable.render(status);
        assertEquals(-1, table.indexOf('\u001b'));
        assertEquals("mxgate mx.example.test: UNHEALTHY: pool p has no usable backend (mx\\u001b[2J\\nforged)",
                table.lines().findFirst().orElseThrow());
    }
}
