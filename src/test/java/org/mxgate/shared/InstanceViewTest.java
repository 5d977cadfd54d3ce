package org.mxgate.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mxgate.shared.InstanceView.BackendSeen;

class InstanceViewTest {

    @Test
    void whatAnInstanceSeesReadsBackAsWritten() {
        InstanceView view = new InstanceView("mx1.2kq9-3f9c1e", 7,
                List.of(new BackendSeen("mailbox", "b1", "up"), new BackendSeen("mail box", "b=2 \"x\"", "pressure")));
        assertEquals(List.of("7", "mailbox", "b1", "up", "mail box", "b=2 \"x\"", "pressure"), view.fields());
        assertEquals(view, InstanceView.read(view.name(), view.fields()));
        assertEquals("mx1", view.instanceId());
    }

    @Test
    void whatDoesNotReadAsWrittenIsLeftOutRatherThanBelieved() {
        InstanceView read = InstanceView.read("mx2.x", List.of("many", "mailbox", "b1", "up", "mailbox", "b2"));
        assertEquals(-1, read.sessions());
        assertEquals(List.of(new BackendSeen("mailbox", "b1", "up")), read.backends(), "no half backend");
        assertEquals(new InstanceView("mx3.y", -1, List.of()), InstanceView.read("mx3.y", List.of()));
    }

    @Test
    void aNameWithoutTheProcessPartIsItsOwnInstanceId() {
        assertEquals("legacy", new InstanceView("legacy", 0, List.of()).instanceId());
    }

    @Test
    void instanceIdsUsedTwiceAmongTheLiveAreNamed() {
        Peers peers = new Peers("a.1-aa", Instant.EPOCH, List.of(new InstanceView("a.1-aa", 0, List.of()),
                new InstanceView("a.2-bb", 0, List.of()), new InstanceView("b.3-cc", 0, List.of()),
                new InstanceView("c.4-dd", 0, List.of()), new InstanceView("c.5-ee", 0, List.of())));
        assertEquals(Set.of("a", "c"), peers.sharedIds());
        assertEquals(Set.of(), new Peers("a.1-aa", null, List.of(new InstanceView("a.1-aa", 0, List.of()))).sharedIds());
    }
}
