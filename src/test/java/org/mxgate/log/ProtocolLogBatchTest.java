package org.mxgate.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mxgate.mail.InstanceId;
import org.mxgate.mail.Reply;
import org.mxgate.net.ClientAddress;
import org.slf4j.LoggerFactory;

/**
 * The lines that the sessions of one event loop log in one pass of the loop reach the logger as
 * one event, within that pass, each line whole; a pass that logs past WRITE_AT goes out at once.
 */
class ProtocolLogBatchTest {

    private final ThreadSafeListAppender captured = new ThreadSafeListAppender();
    private final Logger logger = (Logger) LoggerFactory.getLogger("mxgate.protocol");
    private final EventExecutor loop = new DefaultEventExecutor();
    private final SessionIdFactory ids = new SessionIdFactory(new InstanceId("mx1"));

    @BeforeEach
    void capture() {
        captured.start();
        logger.addAppender(captured);
    }

    @AfterEach
    void release() throws InterruptedException {
        logger.detachAppender(captured);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private ProtocolLog session(String client) {
        return new ProtocolLog("internet", ids.next(), ClientAddress.direct(new InetSocketAddress(client, 40000)), loop);
    }

    /** Runs the task as one pass of the loop, then waits until the loop has run what that pass left it. */
    private void onePass(Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
        loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    private List<String> events() {
        return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void linesOfSeveralSessionsInOnePassAreOneEvent() throws Exception {
        onePass(() -> {
            ProtocolLog first = session("203.0.113.7");
            ProtocolLog second = session("203.0.113.8");
            first.connect();
            second.connect();
            first.command("QUIT");
            first.reply(Reply.of(221, "2.0.0", "Bye"));
            first.disconnect();
        });
        List<String> events = events();
        assertEquals(1, events.size(), events.toString());
        String[] lines = events.get(0).split(System.lineSeparator());
        assertEquals(5, lines.length, events.get(0));
        assertTrue(lines[0].contains("\"client\":\"203.0.113.7\"") && lines[1].contains("\"client\":\"203.0.113.8\""),
                events.get(0));
        for (String line : lines) {
            assertTrue(line.startsWith("{\"ts\":\"") && line.endsWith("}"), line);
        }
    }

    @Test
    void eachPassWritesItsOwnLines() throws Exception {
        ProtocolLog[] log = new ProtocolLog[1];
        onePass(() -> {
            log[0] = session("203.0.113.7");
            log[0].connect();
        });
        onePass(() -> log[0].disconnect());
        List<String> events = events();
        assertEquals(2, events.size(), events.toString());
        assertTrue(events.get(0).contains("\"event\":\"connect\"") && events.get(1).contains("\"event\":\"disconnect\""),
                events.toString());
    }

    @Test
    void aPassThatLogsMoreThanWriteAtGoesOutWithoutWaitingForItsEnd() throws Exception {
        int[] eventsWithinThePass = new int[1];
        onePass(() -> {
            ProtocolLog log = session("203.0.113.7");
            String text = "x".repeat(1000);
            for (int i = 0; i < ProtocolLogBatch.WRITE_AT / 1000 + 1; i++) {
                log.command(text + i);
            }
            eventsWithinThePass[0] = captured.list.size();
        });
        assertEquals(1, eventsWithinThePass[0], "written at once past " + ProtocolLogBatch.WRITE_AT + " characters");
        int lines = events().stream().mapToInt(e -> e.split(System.lineSeparator()).length).sum();
        assertEquals(ProtocolLogBatch.WRITE_AT / 1000 + 1, lines);
    }

    @Test
    void aBatchIsOnlyTakenOnItsOwnLoop() {
        assertThrows(IllegalStateException.class, () -> session("203.0.113.7"));
    }
}
