package org.mxgate.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Logback's ListAppender with a list that may be read while event loops and watcher threads
 * append to it, as every test that captures the application log does; the plain one throws
 * ConcurrentModificationException when a test reads at the wrong moment.
 */
public final class ThreadSafeListAppender extends ListAppender<ILoggingEvent> {

    public ThreadSafeListAppender() {
        list = new CopyOnWriteArrayList<>();
    }
}
