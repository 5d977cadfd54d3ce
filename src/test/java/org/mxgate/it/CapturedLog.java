package org.mxgate.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.mxgate.log.ThreadSafeListAppender;
import org.slf4j.LoggerFactory;

/**
 * The application log lines of one class from {@code level} up, captured while a test runs, so it
 * can wait for the line that says something happened. Closing restores the logger as it was.
 */
final class CapturedLog implements AutoCloseable {

    private final ThreadSafeListAppender appender = new ThreadSafeListAppender();
    private final Logger logger;
    private final Level levelBefore;

    /** @param level lower than logback-test.xml's WARN to see INFO lines such as "policy NAME reloaded" */
    CapturedLog(Class<?> source, Level level) {
        logger = (Logger) LoggerFactory.getLogger(source);
        levelBefore = logger.getLevel();
        logger.setLevel(level);
        appender.start();
        logger.addAppender(appender);
    }

    boolean contains(String text) {
        return lines().stream().anyMatch(line -> line.contains(text));
    }

    List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(levelBefore);
    }
}
