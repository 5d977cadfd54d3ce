package org.mxgate.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mxgate.backend.Backend;

/** The API's JSON names the instance that answers, beside what it sees. */
class StatusJsonTest {

    @Test
    void backendsAndStatusNameTheInstance() {
        StatusSnapshot status = StatusFixtures.twoBackends(Backend.State.UP, true);
        String backends = StatusJson.backends(status);
        assertTrue(backends.startsWith("{\"instance\":\"mx1\",\"pools\":[{\"name\":\"mailbox\""), backends);
        String full = StatusJson.status(status);
        assertTrue(full.startsWith("{\"hostname\":\"mx.example.test\",\"instance\":\"mx1\",\"now\":"), full);
    }

    @Test
    void withSharedStateBothListTheLiveInstancesAndWhatEachSees() {
        StatusSnapshot status = StatusFixtures.withPeers("archive", "ar1");
        String mx2 = "{\"name\":\"mx2.2b-bbbbbb\",\"instance_id\":\"mx2\",\"self\":false,\"sessions\":4,\"backends\":["
                + "{\"pool\":\"mailbox\",\"name\":\"mx1\",\"state\":\"up\"},{\"pool\":\"mailbox\",\"name\":\"mx2\",\"state\":\"down\"}]}";
        for (String json : new String[] {StatusJson.backends(status), StatusJson.status(status)}) {
            assertTrue(json.contains("\"instances_as_of\":\"2026-11-27T11:59:56Z\",\"instances\":[{\"name\":\"mx1.1a-aaaaaa\","
                    + "\"instance_id\":\"mx1\",\"self\":true,\"sessions\":3,"), json);
            assertTrue(json.contains(mx2), json);
            assertTrue(json.contains("{\"pool\":\"archive\",\"name\":\"ar1\",\"state\":\"halted\"}]}]}"), json);
        }
    }

    @Test
    void withoutSharedStateThereIsNoInstancesKey() {
        StatusSnapshot status = StatusFixtures.twoBackends(Backend.State.UP, true);
        assertFalse(StatusJson.backends(status).contains("\"instances"));
        assertFalse(StatusJson.status(status).contains("\"instances"));
    }
}
