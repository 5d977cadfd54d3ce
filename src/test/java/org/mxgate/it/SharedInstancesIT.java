package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instances sharing a Redis, as each one's status page and /api/backends show them (issue
 * 17): which are alive, the sessions each holds and the state each sees every backend in; an
 * instance that stops leaves the list; two that share an instance_id are told so.
 */
class SharedInstancesIT {

    // A heartbeat every second, so the views are at most a second old.
    private static final String FAST_BEATS = "lease_time: 3s";

    private static final String CONNECT_CHECK = "    health_check: { interval: 200ms, timeout: 1s, probe: connect, rise: 1, fall: 1 }\n";

    @TempDir
    Path dir;

    @Test
    void eachInstanceShowsTheLiveOnesAndWhatEachSees() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RecordingBackend b1 = new RecordingBackend();
             RecordingBackend b2 = new RecordingBackend()) {
            int closed = AdminHttp.freePort();
            // The same backends by name; b2 is a dead port for the second instance only.
            try (TestGateway a = SharedGateways.instance(redis, List.of(b1.port(), b2.port()), CONNECT_CHECK, "", FAST_BEATS,
                    AdminHttp.adminBlock(Files.createDirectories(dir.resolve("a"))))) {
                String idA = a.gateway().ids().instance().value();
                AdminHttp adminA = new AdminHttp(a.gateway().adminPort());
                Pattern aOnA = Pattern.compile("\\{\"name\":\"" + idA + "\\.[^\"]+\",\"instance_id\":\"" + idA
                        + "\",\"self\":true,\"sessions\":0,\"backends\":\\[\\{\"pool\":\"mailbox\",\"name\":\"b1\",\"state\":\"up\"},"
                        + "\\{\"pool\":\"mailbox\",\"name\":\"b2\",\"state\":\"up\"}]}");
                // Closed by the test itself, midway.
                TestGateway b = SharedGateways.instance(redis, List.of(b1.port(), closed), CONNECT_CHECK, "", FAST_BEATS, "");
                String idB = b.gateway().ids().instance().value();
                SmtpClient held = new SmtpClient(b.internet());
                try {
                    held.hello();
                    Pattern bOnA = Pattern.compile("\\{\"name\":\"" + idB + "\\.[^\"]+\",\"instance_id\":\"" + idB
                            + "\",\"self\":false,\"sessions\":1,\"backends\":\\[\\{\"pool\":\"mailbox\",\"name\":\"b1\",\"state\":\"up\"},"
                            + "\\{\"pool\":\"mailbox\",\"name\":\"b2\",\"state\":\"down\"}]}");
                    await().atMost(Duration.ofSeconds(10)).until(() -> {
                        String json = adminA.get("/api/backends").body();
                        return bOnA.matcher(json).find() && aOnA.matcher(json).find();
                    });

                    // The page of A: a row for each, B's with its session and b2 down.
                    String page = adminA.get("/").body();
                    int rowB = page.indexOf("<tr data-instance-name=\"" + idB + ".");
                    assertTrue(rowB > 0, page);
                    String row = page.substring(rowB, page.indexOf("</tr>", rowB));
                    assertTrue(row.contains("<td class=\"num\">1</td>"), row);
                    assertTrue(row.contains("<td data-sees=\"mailbox/b2\"><span class=\"badge state down\">down</span>"), row);
                    assertTrue(page.contains("<span class=\"name\">" + idA + "</span> (this page)"), page);
                } finally {
                    held.close();
                    b.close();
                }
                // B stopped: it left at once, and A's next heartbeat no longer lists it.
                await().atMost(Duration.ofSeconds(5)).until(() -> !adminA.get("/api/backends").body()
                        .contains("\"instance_id\":\"" + idB + "\""));
                assertTrue(aOnA.matcher(adminA.get("/api/backends").body()).find());
            }
        }
    }

    @Test
    void twoLiveInstancesWithOneInstanceIdAreToldSo() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RecordingBackend backend = new RecordingBackend()) {
            String same = "instance_id: zz\n";
            try (TestGateway a = SharedGateways.instance(redis, List.of(backend.port()), "", "", FAST_BEATS,
                    same + AdminHttp.adminBlock(Files.createDirectories(dir.resolve("a"))))) {
                AdminHttp admin = new AdminHttp(a.gateway().adminPort());
                TestGateway b = SharedGateways.instance(redis, List.of(backend.port()), "", "", FAST_BEATS, same);
                try {
                    await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/status").body().contains(
                            "\"notice\":\"shared state: instance_id zz is used by more than one live instance"));
                    assertTrue(admin.get("/").body().contains("data-notice=\"shared-state\">shared state: instance_id zz is used"));
                } finally {
                    b.close();
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> !admin.get("/api/status").body().contains("\"notice\""));
                assertFalse(admin.get("/").body().contains("data-notice"));
            }
        }
    }
}
