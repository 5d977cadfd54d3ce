package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxgate.log.ThreadSafeListAppender;
import org.slf4j.LoggerFactory;

/**
 * The run-time NAT warning over real sessions: every client of the internet listener (no
 * relay networks) arrives from 127.0.0.1, as behind a NATing balancer, and the log says so
 * once; the internal listener, which has relay networks of its own, stays quiet.
 */
class NatWarningIT {

    @Test
    void oneHiddenClientAddressOnTheInternetListenerIsReportedOnce() throws Exception {
        ListAppender<ILoggingEvent> log = new ThreadSafeListAppender();
        log.start();
        Logger handlerLog = (Logger) LoggerFactory.getLogger("org.mxgate.listener.SessionHandler");
        handlerLog.addAppender(log);
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()))) {
            for (int i = 0; i < 250; i++) {
                try (SmtpClient internet = new SmtpClient(gateway.internet());
                     SmtpClient internal = new SmtpClient(gateway.internal())) {
                    internet.hello();
                    internal.hello();
                }
            }
            List<String> warnings = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("a NAT or load balancer may hide the real clients")).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("listener internet: 100 of the last 100 sessions came from 127.0.0.1"),
                    warnings.get(0));
        } finally {
            handlerLog.detachAppender(log);
        }
    }
}
