package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to {@code bin/mxgate run} while 50 clients are sending (issue 18, acceptance 1): the
 * listener closes and {@code /healthz} answers 503 at once; sessions between transactions get
 * 421 4.3.2 and are closed; transactions in progress finish within {@code shutdown_grace} with
 * their backend's 250; those still open at its end are cut without a 250; the process exits 0.
 * Every message told 250 is at the backend exactly once, and no cut message is.
 */
class SigtermIT {

    private static final int IDLE = 15;
    private static final int FINISHING = 15;
    private static final int STUCK = 5;
    private static final int LOOPING = 15;
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Pattern SUBJECT = Pattern.compile("(?m)^Subject: ([^\r\n]*)");

    @TempDir
    Path dir;

    /** What one client was told: each of its messages' subject and the reply that ended it (null: closed), then its last reply. */
    record Outcome(String kind, Map<String, String> messages, String last) {
    }

    @Test
    void sigtermWhileFiftyClientsSendLosesNoAcceptedMessageAndExitsZero() throws Exception {
        ExecutorService clients = Executors.newCachedThreadPool();
        // A slow MAIL at the backend keeps some transactions waiting there when the signal comes.
        try (RecordingBackend backend = new RecordingBackend().slowAtMail(100)) {
            int port = AdminHttp.freePort();
            int adminPort = AdminHttp.freePort();
            try (GatewayProcess gateway = GatewayProcess.run(dir, writeConfig(port, adminPort, backend.port()), Map.of())) {
                gateway.awaitGreeting(port);
                AdminHttp admin = new AdminHttp(adminPort);
                assertEquals(200, admin.get("/healthz").status(), gateway.output());

                CountDownLatch inPlace = new CountDownLatch(IDLE + FINISHING + STUCK + LOOPING);
                CountDownLatch finish = new CountDownLatch(1);
                List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
                int n = 0;
                for (int i = 0; i < IDLE; i++) {
                    outcomes.add(start(clients, port, ++n, c -> idle(c, inPlace)));
                }
                for (int i = 0; i < FINISHING; i++) {
                    String subject = "finishing " + i;
                    outcomes.add(start(clients, port, ++n, c -> midData(c, subject, inPlace, finish)));
                }
                for (int i = 0; i < STUCK; i++) {
                    String subject = "stuck " + i;
                    outcomes.add(start(clients, port, ++n, c -> midData(c, subject, inPlace, null)));
                }
                for (int i = 0; i < LOOPING; i++) {
                    String prefix = "looping " + i + " message ";
                    outcomes.add(start(clients, port, ++n, c -> looping(c, prefix, inPlace)));
                }
                assertTrue(inPlace.await(60, TimeUnit.SECONDS), "clients not in place" + gateway.output());

                gateway.signal("TERM");
                AtomicBoolean unhealthy = new AtomicBoolean();
                await().atMost(GRACE).pollInterval(Duration.ofMillis(20)).until(() -> {
                    AdminHttp.Answer health = admin.get("/healthz");
                    unhealthy.set(health.status() == 503 && health.body().contains("draining"));
                    return unhealthy.get();
                });
                assertTrue(gateway.isAlive(), "/healthz answered 503 while the sessions drained");
                await().atMost(GRACE).until(() -> !GatewayProcess.isListening(port));
                // Only now the mid-DATA clients send the rest: their transactions finish during the drain.
                finish.countDown();

                List<Outcome> told = new ArrayList<>();
                for (CompletableFuture<Outcome> outcome : outcomes) {
                    told.add(outcome.get(GRACE.toSeconds() + 60, TimeUnit.SECONDS));
                }
                assertEquals(0, gateway.awaitExit(GRACE.plusSeconds(60)), "exit status" + gateway.output());
                assertTrue(gateway.text().contains("shutdown grace of PT10S over; closing"), gateway.output());
                backend.awaitAllSessionsEnded();

                Map<String, Long> delivered = backend.messages().stream().map(m -> subject(m.bytes()))
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
                int accepted = 0;
                for (Outcome outcome : told) {
                    check(outcome);
                    for (Map.Entry<String, String> message : outcome.messages().entrySet()) {
                        if (isAccepted(message.getValue())) {
                            accepted++;
                            assertEquals(1L, delivered.getOrDefault(message.getKey(), 0L),
                                    message.getKey() + " was told 250: exactly one copy at the backend " + delivered);
                        }
                    }
                }
                System.out.printf("SigtermIT: %d messages told 250, %d at the backend, exit 0%n", accepted,
                        backend.messages().size());
                assertTrue(unhealthy.get());
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** What each kind of client must have been told. */
    private static void check(Outcome outcome) {
        String what = outcome.toString();
        switch (outcome.kind()) {
            case "idle" -> assertTrue(isShuttingDown(outcome.last()), what);
            case "finishing" -> {
                assertTrue(outcome.messages().values().stream().allMatch(SigtermIT::isAccepted), what);
                assertTrue(outcome.last() == null || isShuttingDown(outcome.last()), what);
            }
            case "stuck" -> {
                // Cut at the grace's end: the connection closes, with no reply and never a 250.
                assertTrue(outcome.messages().values().stream().allMatch(r -> r == null), what);
                assertNull(outcome.last(), what);
            }
            case "looping" -> {
                List<String> replies = new ArrayList<>(outcome.messages().values());
                assertTrue(replies.subList(0, replies.size() - 1).stream().allMatch(SigtermIT::isAccepted), what);
                String last = replies.get(replies.size() - 1);
                assertTrue(last == null || isAccepted(last) || isShuttingDown(last), what);
                assertTrue(outcome.last() == null || isShuttingDown(outcome.last()), what);
            }
            default -> throw new AssertionError(what);
        }
    }

    /** Between transactions: greeted, EHLO answered, waiting for whatever the server says next. */
    private static Outcome idle(SmtpClient client, CountDownLatch inPlace) throws IOException {
        client.hello();
        inPlace.countDown();
        String last = client.reply();
        assertTrue(last == null || client.isClosedByServer(), "still open after " + last);
        return new Outcome("idle", Map.of(), last);
    }

    /**
     * In DATA with the first half of the body sent. With {@code finish}, the rest and the final
     * dot go once it opens; without, the client sends nothing more and waits to be cut.
     */
    private static Outcome midData(SmtpClient client, String subject, CountDownLatch inPlace, CountDownLatch finish)
            throws IOException, InterruptedException {
        client.hello();
        assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
        assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
        assertTrue(client.send("DATA").startsWith("354"));
        client.write("Subject: " + subject + "\r\n\r\nfirst half\r\n");
        inPlace.countDown();
        if (finish == null) {
            return new Outcome("stuck", mapOf(subject, client.reply()), client.reply());
        }
        finish.await();
        client.write("second half\r\n.\r\n");
        String reply = client.reply();
        return new Outcome("finishing", mapOf(subject, reply), client.reply());
    }

    /** Message after message on one session, until the server ends it; in place after its first 250. */
    private static Outcome looping(SmtpClient client, String prefix, CountDownLatch inPlace) {
        Map<String, String> messages = new LinkedHashMap<>();
        String last;
        try {
            client.hello();
            for (int k = 0; ; k++) {
                String subject = prefix + k;
                String reply = transaction(client, subject);
                messages.put(subject, reply);
                if (k == 0) {
                    inPlace.countDown();
                }
                if (!isAccepted(reply)) {
                    last = reply;
                    break;
                }
            }
        } catch (IOException closed) {
            last = null;
        }
        return new Outcome("looping", messages, last);
    }

    /** One message; the reply to its final dot, or the reply (or null: closed) that ended it earlier. */
    private static String transaction(SmtpClient client, String subject) throws IOException {
        for (String command : List.of("MAIL FROM:<b@client.test>", "RCPT TO:<user@example.test>", "DATA")) {
            String reply = client.send(command);
            if (reply == null || !(reply.startsWith("250") || reply.startsWith("354"))) {
                return reply;
            }
        }
        client.write("Subject: " + subject + "\r\n\r\nhello\r\n.\r\n");
        return client.reply();
    }

    private interface Dialogue {
        Outcome run(SmtpClient client) throws Exception;
    }

    /** Client number {@code n} on a thread of its own, from 127.0.5.n (the per-address limit counts each alone). */
    private static CompletableFuture<Outcome> start(ExecutorService threads, int port, int n, Dialogue dialogue) {
        return CompletableFuture.supplyAsync(() -> {
            try (SmtpClient client = new SmtpClient(port, "127.0.5." + n)) {
                return dialogue.run(client);
            } catch (Exception e) {
                throw new IllegalStateException("client " + n + ": " + e, e);
            }
        }, threads);
    }

    private static Map<String, String> mapOf(String subject, String reply) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(subject, reply);
        return map;
    }

    private static boolean isAccepted(String reply) {
        return reply != null && reply.startsWith("250 ");
    }

    private static boolean isShuttingDown(String reply) {
        return reply != null && reply.startsWith("421 4.3.2 mx.example.test Service shutting down");
    }

    private static String subject(byte[] message) {
        Matcher m = SUBJECT.matcher(new String(message, StandardCharsets.US_ASCII));
        return m.find() ? m.group(1) : "(none)";
    }

    private Path writeConfig(int port, int adminPort, int backendPort) throws IOException {
        return GatewayProcess.writeConfig(dir, "shutdown_grace: " + GRACE.toSeconds() + "s\n", port, backendPort, "",
                "admin: { listen: \"127.0.0.1:" + adminPort + "\" }\n");
    }
}
