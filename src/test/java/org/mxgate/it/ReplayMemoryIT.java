package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A 20 MB message whose first backend refuses DATA is replayed from the spool file to a second
 * backend that reads slowly. The replay reads the file in chunks off the event loop and writes
 * each only when the backend's socket has room, so the gateway's memory (heap after a full GC,
 * and direct buffers), measured while the replay is under way, grows by a few chunks, not by
 * the message (issue 13).
 */
class ReplayMemoryIT {

    private static final int MESSAGE = 20 * 1024 * 1024;
    private static final long MEMORY_BUDGET = 4L * 1024 * 1024;

    @Test
    void aReplayedTwentyMegabyteMessageHoldsOnlyAFewChunksOnTheHeap() throws Exception {
        byte[] stuffed = SmtpClient.stuff(message());
        AtomicLong memoryDuringReplay = new AtomicLong(-1);
        try (ScriptedBackend refusing = new ScriptedBackend(ScriptedBackend.Script.TEMPFAIL_DATA);
             SlowSinkBackend slow = new SlowSinkBackend(read -> {
                 if (read >= 4 * 1024 * 1024 && memoryDuringReplay.get() < 0) {
                     memoryDuringReplay.set(memoryAfterGc());
                 }
             });
             TestGateway gateway = TestGateway.start(List.of(refusing.port(), slow.port()),
                     "    data_timeout: 60s\n", "  max_message_size: 50MB\n");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            long before = memoryAfterGc();
            assertTrue(client.send("MAIL FROM:<big@client.test>").startsWith("250"));
            assertTrue(client.send("RCPT TO:<user@example.test>").startsWith("250"));
            assertTrue(client.send("DATA").startsWith("354"));
            client.write(stuffed);
            client.write(".\r\n");
            String reply = client.reply();
            assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend b2"), reply);
            assertEquals(1, refusing.dataStarted(), "the first backend refused DATA: the whole body is a replay");

            long grew = memoryDuringReplay.get() - before;
            System.out.println("ReplayMemoryIT: grew " + grew / 1024 + " KB");
            assertTrue(memoryDuringReplay.get() > 0, "the backend measured memory during the replay");
            assertTrue(grew < MEMORY_BUDGET, "heap and direct memory grew by " + grew / 1024 + " KB during the replay of a "
                    + MESSAGE / 1024 / 1024 + " MB message (budget " + MEMORY_BUDGET / 1024 + " KB)");
            assertTrue(slow.lastMessageBytes() > stuffed.length, "the whole body, behind our Received header");
        }
        // Keeps the client's copy of the body alive until here, so it is in both measurements.
        java.lang.ref.Reference.reachabilityFence(stuffed);
    }

    @Test
    void aBackendThatStopsReadingAReplayedBodyIsLeftAfterDataTimeout() throws Exception {
        byte[] body = message();
        try (ScriptedBackend refusing = new ScriptedBackend(ScriptedBackend.Script.TEMPFAIL_DATA);
             ScriptedBackend stalling = new ScriptedBackend(ScriptedBackend.Script.STALL_IN_DATA);
             RecordingBackend healthy = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(refusing.port(), stalling.port(), healthy.port()),
                     "    data_timeout: 2s\n", "  max_message_size: 50MB\n");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            long start = System.nanoTime();
            String reply = client.sendMessage("big@client.test", List.of("user@example.test"), body);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend b3"), reply);
            assertEquals(1, stalling.dataStarted(), "the replay reached the stalling backend first");
            assertEquals(1, healthy.messages().size());
            assertTrue(tookMillis < 20_000, "left after data_timeout, not held: " + tookMillis + " ms");
        }
    }

    @Test
    void aSlowBackendThatKeepsReadingMayTakeLongerThanDataTimeout() throws Exception {
        byte[] body = message();
        long start = System.nanoTime();
        try (ScriptedBackend refusing = new ScriptedBackend(ScriptedBackend.Script.TEMPFAIL_DATA);
             SlowSinkBackend slow = new SlowSinkBackend(read -> { });
             TestGateway gateway = TestGateway.start(List.of(refusing.port(), slow.port()),
                     "    data_timeout: 1s\n", "  max_message_size: 50MB\n");
             SmtpClient client = new SmtpClient(gateway.internet())) {
            client.hello();
            String reply = client.sendMessage("big@client.test", List.of("user@example.test"), body);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            // data_timeout bounds a pause in the backend's reading, not the whole body's.
            assertTrue(tookMillis > 1000, "the slow backend took longer than data_timeout: " + tookMillis + " ms");
            assertTrue(reply.startsWith("250 2.0.0") && reply.contains("(backend b2"), reply + " after " + tookMillis + " ms");
        }
    }

    private static byte[] message() {
        StringBuilder text = new StringBuilder(MESSAGE + 100).append("Subject: large\r\n\r\n");
        for (int i = 0; text.length() < MESSAGE; i++) {
            text.append(i % 9 == 0 ? "." : "").append("line ").append(i).append(" of a message that is replayed\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Heap in use after a full GC, plus direct memory: Netty copies heap buffers into direct
     * ones as it writes them, so a body written all at once sits there, not on the heap. Direct
     * memory counts twice over: the JDK's own direct buffers, and those Netty makes without a
     * cleaner, which only Netty counts.
     */
    private static long memoryAfterGc() {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long jdkDirect = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return heap + jdkDirect + Math.max(0, PlatformDependent.usedDirectMemory());
    }
}
