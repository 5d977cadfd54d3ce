package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a relayed message leaves behind on the heap, counted in a running gateway with the JDK's
 * class histogram (which collects garbage first, so it counts only what is still reachable):
 * nothing of a transaction once its 250 is given, however long its timeouts are. A watch on the
 * body's progress and a parked backend session's idle timer each used to stay scheduled for the
 * whole timeout (10 minutes, 30 seconds), holding their transaction or session, so the heap grew
 * with the message rate times the timeout: at 3,000 messages a second, a 512 MB heap was full
 * within minutes.
 */
class TimerRetentionIT {

    private static final int MESSAGES = 3000;
    private static final int SESSIONS = 4;

    @TempDir
    Path dir;

    @Test
    void aRelayedMessageLeavesNoTimerOrTransactionBehind() throws Exception {
        try (CountingSink sink = new CountingSink()) {
            int port = AdminHttp.freePort();
            Path config = GatewayProcess.writeConfig(dir, "", port, sink.port(), "", "");
            try (GatewayProcess gateway = GatewayProcess.run(dir, config, Map.of())) {
                gateway.awaitGreeting(port);
                Map<String, Long> before = liveInstances(gateway.pid());
                byte[] body = ("Subject: retention\r\n\r\n" + "x".repeat(76) + "\r\n").repeat(50)
                        .getBytes(StandardCharsets.US_ASCII);
                for (int s = 0; s < SESSIONS; s++) {
                    try (SmtpClient client = new SmtpClient(port)) {
                        client.hello();
                        for (int i = 0; i < MESSAGES / SESSIONS; i++) {
                            String reply = client.sendMessage("a@sender.test", List.of("user@example.test"), body);
                            assertTrue(reply.startsWith("250 "), "message " + i + ": " + reply);
                        }
                        client.send("QUIT");
                    }
                }
                assertEquals(MESSAGES, sink.deliveries().size());
                Map<String, Long> after = liveInstances(gateway.pid());
                long transactions = after.getOrDefault("org.mxgate.mail.Transaction", 0L);
                long timers = after.getOrDefault("io.netty.util.concurrent.ScheduledFutureTask", 0L)
                        - before.getOrDefault("io.netty.util.concurrent.ScheduledFutureTask", 0L);
                // The last session's transaction may still be referenced until its session's end is processed.
                assertTrue(transactions <= SESSIONS, transactions + " transactions still reachable after "
                        + MESSAGES + " messages");
                // A handful move with the sessions (their timeouts, a parked backend session's idle timer).
                assertTrue(timers <= 2L * SESSIONS, timers + " more timers scheduled after " + MESSAGES
                        + " messages than before the first");
            }
        }
    }

    /** Live instances per class, from {@code jcmd PID GC.class_histogram}, which runs a full collection first. */
    private static Map<String, Long> liveInstances(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process histogram = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String text = new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(histogram.waitFor(60, TimeUnit.SECONDS) && histogram.exitValue() == 0, text);
        Map<String, Long> counts = new java.util.HashMap<>();
        Matcher row = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)").matcher(text);
        while (row.find()) {
            counts.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
        }
        assertTrue(counts.containsKey("java.lang.String"), "not a class histogram: " + text);
        return counts;
    }
}
