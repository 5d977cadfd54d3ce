package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mxgate.listener.InstanceIds;

/**
 * Two gateway instances in one JVM, with instance ids gwa and gwb, acting as one in front of one
 * backend. Issue 17, acceptance 5: queue ids from the two never collide over 100,000 messages
 * each, made at the same time by the factories the instances' sessions use. And real messages
 * through both: the 250, the Received header, the protocol log and the admin API each name the
 * instance that took the message.
 */
class InstanceIdsIT {

    private static final int IDS_PER_INSTANCE = 100_000;

    private static TestGateway start(RecordingBackend backend, String instance) throws Exception {
        return TestGateway.start(List.of(backend.port()), "", "",
                "instance_id: " + instance + "\nshutdown_grace: 2s\nadmin: { listen: \"127.0.0.1:0\" }\n");
    }

    @Test
    void queueIdsOfTwoInstancesNeverCollide() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway a = start(backend, "gwa");
             TestGateway b = start(backend, "gwb")) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<List<String>> fromA = make(a.gateway().ids(), go);
            CompletableFuture<List<String>> fromB = make(b.gateway().ids(), go);
            go.countDown();
            List<String> idsA = fromA.get(60, TimeUnit.SECONDS);
            List<String> idsB = fromB.get(60, TimeUnit.SECONDS);

            Set<String> all = new HashSet<>(idsA);
            all.addAll(idsB);
            assertEquals(2 * IDS_PER_INSTANCE, all.size(), "queue ids repeated");
            assertTrue(idsA.stream().allMatch(id -> id.matches("[0-9A-Z]{12}GWA")), idsA.get(0));
            assertTrue(idsB.stream().allMatch(id -> id.matches("[0-9A-Z]{12}GWB")), idsB.get(0));
            // Ids whose time and counter meet differ by their end alone: QueueIdFactoryTest.
        }
    }

    /** IDS_PER_INSTANCE queue ids from the instance's own factory, on a thread of its own, once {@code go} opens. */
    private static CompletableFuture<List<String>> make(InstanceIds ids, CountDownLatch go) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            List<String> made = new ArrayList<>(IDS_PER_INSTANCE);
            for (int i = 0; i < IDS_PER_INSTANCE; i++) {
                made.add(ids.queueIds().next().value());
            }
            return made;
        }, runnable -> new Thread(runnable, "ids-" + ids.instance()).start());
    }

    @Test
    void messagesThroughBothInstancesNameTheInstanceThatTookThem() throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway a = start(backend, "gwa");
             TestGateway b = start(backend, "gwb")) {
            for (int round = 0; round < 3; round++) {
                deliver(a, "gwa", backend);
                deliver(b, "gwb", backend);
            }
            assertTrue(new AdminHttp(a.gateway().adminPort()).get("/api/backends").body().startsWith("{\"instance\":\"gwa\","));
            assertTrue(new AdminHttp(b.gateway().adminPort()).get("/api/backends").body().startsWith("{\"instance\":\"gwb\","));
            assertTrue(new AdminHttp(b.gateway().adminPort()).get("/").body().contains("<span data-instance=\"gwb\">gwb</span>"));
        }
    }

    /** One message through {@code gateway}: its queue id, Received header and log lines end in {@code instance}. */
    private static void deliver(TestGateway gateway, String instance, RecordingBackend backend) throws Exception {
        String sender = "ids-" + UUID.randomUUID() + "@client.test";
        String queueId;
        try (SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.sendMessage(sender, List.of("user@example.test"),
                    ("Message-ID: <" + sender + ">\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
            Matcher queued = Pattern.compile("250 2\\.0\\.0 Ok: queued as ([0-9A-Z]{12}" + instance.toUpperCase()
                    + ") \\(backend b1\\)").matcher(reply);
            assertTrue(queued.matches(), reply);
            queueId = queued.group(1);
            client.send("QUIT");
        }
        String received = backend.messages().stream().filter(m -> m.from().equals(sender)).findFirst().map(
                m -> new String(m.bytes(), StandardCharsets.US_ASCII)).orElseThrow();
        assertTrue(received.startsWith("Received: from client.test (unknown [127.0.0.1])\r\n"
                + "\tby mx.test.invalid (mxgate internet) with ESMTP id " + queueId + "\r\n"), received);

        String session = ProtocolLogFile.sessionOf(sender);
        assertTrue(session != null && session.matches("[0-9a-z]{8}" + instance), session);
        List<String> lines = ProtocolLogFile.linesOf(session);
        assertTrue(lines.size() >= 8, String.join("\n", lines));
        assertTrue(lines.stream().allMatch(l -> l.contains("\"instance\":\"" + instance + "\"")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"delivered\"")
                && l.contains("\"queue_id\":\"" + queueId + "\"")), String.join("\n", lines));
    }
}
