package org.mxgate.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mxgate.mail.InstanceId;
import org.mxgate.mail.Reply;
import org.mxgate.net.ClientAddress;
import org.slf4j.LoggerFactory;

/**
 * Every line names the instance and the session. What one session can make the gateway log is bounded: 300,000 NOOPs, each answered alike,
 * become a handful of lines (they wrote 86 MB before), and past MAX_LINES a session's lines
 * are counted, not written.
 */
class ProtocolLogTest {

    private static final Reply OK = Reply.of(250, "2.0.0", "Ok");

    private final ThreadSafeListAppender captured = new ThreadSafeListAppender();
    private final Logger logger = (Logger) LoggerFactory.getLogger("mxgate.protocol");
    private final ProtocolLog log = new ProtocolLog("internet", new SessionIdFactory(new InstanceId("mx1")).next(),
            ClientAddress.direct(new InetSocketAddress("203.0.113.7", 40000)));

    @BeforeEach
    void capture() {
        captured.start();
        logger.addAppender(captured);
    }

    @AfterEach
    void release() {
        logger.detachAppender(captured);
    }

    private List<String> lines() {
        return captured.list.stream().map(ILoggingEvent::getFormattedMessage)
                .flatMap(batch -> Arrays.stream(batch.split(System.lineSeparator()))).toList();
    }

    @Test
    void aFloodOfTheSameCommandAndReplyIsOneLine() {
        log.connect();
        for (int i = 0; i < 300_000; i++) {
            log.command("NOOP");
            log.reply(OK);
        }
        log.command("QUIT");
        log.reply(Reply.of(221, "2.0.0", "Bye"));
        log.disconnect();
        List<String> lines = lines();
        assertEquals(7, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(3).contains("\"event\":\"repeated\"") && lines.get(3).contains("299999 more times"), lines.get(3));
        assertTrue(lines.get(4).contains("\"command\":\"QUIT\""), lines.get(4));
        long bytes = lines.stream().mapToLong(String::length).sum();
        assertTrue(bytes < 2_000, bytes + " bytes for 300,000 NOOPs");
    }

    @Test
    void aRepeatedCommandWithAnotherReplyIsLoggedInFull() {
        log.command("NOOP");
        log.reply(OK);
        log.command("NOOP");
        log.reply(OK);
        log.command("NOOP");
        log.reply(Reply.of(421, "4.7.0", "mx.test Error: too many junk commands"));
        List<String> lines = lines();
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(2).contains("1 more times"), lines.get(2));
        assertTrue(lines.get(3).contains("\"command\":\"NOOP\""), lines.get(3));
        assertTrue(lines.get(4).contains("421 4.7.0"), lines.get(4));
    }

    @Test
    void pastItsBudgetASessionsLinesAreCountedNotWritten() {
        log.connect();
        for (int i = 0; i < 20_000; i++) {
            log.command("RCPT TO:<user" + i + "@example.test>");
            log.reply(Reply.of(550, "5.1.1", "No such user " + i));
        }
        log.disconnect();
        List<String> lines = lines();
        assertEquals(ProtocolLog.MAX_LINES + 2, lines.size());
        assertTrue(lines.get(lines.size() - 2).contains("30001 more lines not logged"), lines.get(lines.size() - 2));
        assertTrue(lines.get(lines.size() - 1).contains("\"event\":\"disconnect\""));
    }

    @Test
    void aDeliveryNamesOurQueueIdTheBackendsAndTheMessageIdInFieldsOfTheirOwn() {
        log.delivered("mx1", Reply.of(250, "2.0.0", "Ok: queued as 4QXb1"), "3BF7QWGU9", "4QXb1", "<a1@client.test>");
        String line = lines().get(0);
        assertTrue(line.contains("\"event\":\"delivered\",") && line.contains("\"backend\":\"mx1\"")
                && line.contains("\"queue_id\":\"3BF7QWGU9\"") && line.contains("\"backend_queue_id\":\"4QXb1\"")
                && line.contains("\"message_id\":\"<a1@client.test>\"")
                && line.contains("\"detail\":\"delivered: 250 2.0.0 Ok: queued as 4QXb1\"}"), line);
    }

    @Test
    void everyLineNamesTheInstanceAndItsSessionIdEndsInIt() {
        log.connect();
        log.command("QUIT");
        log.reply(Reply.of(221, "2.0.0", "Bye"));
        log.disconnect();
        List<String> lines = lines();
        assertEquals(4, lines.size());
        for (String line : lines) {
            assertTrue(line.matches("\\{\"ts\":\"[^\"]+\",\"event\":\"[a-z]+\",\"instance\":\"mx1\",\"listener\":\"internet\","
                    + "\"session\":\"[0-9a-z]{8}mx1\",.*"), line);
        }
    }

    @Test
    void aDeliveryWithoutIdsLeavesTheirFieldsOut() {
        log.delivered("mx1", Reply.of(250, "2.0.0", "Ok"), "3BF7QWGU9", null, null);
        String line = lines().get(0);
        assertTrue(line.contains("\"queue_id\":\"3BF7QWGU9\"") && !line.contains("backend_queue_id")
                && !line.contains("message_id"), line);
    }
}
