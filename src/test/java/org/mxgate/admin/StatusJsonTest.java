package org.mxgate.admin;

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
}
