package org.mxgate.log;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol log lines of every session on one event loop, handed to the logger as one event
 * once the loop has run what it had to do, instead of one event per session and round trip:
 * each event costs a time stamp, a copy of the MDC and a turn of the writer thread, and with
 * many sessions on a loop most passes carry lines of several. A line is written within the pass
 * of the loop that logged it, whole (lines are appended on the loop's own thread, one at a
 * time). Past {@link #WRITE_AT} characters the batch goes at once, so one pass cannot hold more.
 * Without a loop (a session logged from elsewhere) each {@link #lineDone} writes at once.
 */
final class ProtocolLogBatch {

    private static final Logger LOG = LoggerFactory.getLogger("mxgate.protocol");

    static final int WRITE_AT = 64 * 1024;
    private static final int INITIAL = 4096;

    private static final FastThreadLocal<ProtocolLogBatch> ON_THIS_LOOP = new FastThreadLocal<>();

    private final EventExecutor loop;
    private final Runnable write = this::write;
    private StringBuilder lines = new StringBuilder(INITIAL);
    private boolean writeScheduled;

    private ProtocolLogBatch(EventExecutor loop) {
        this.loop = loop;
    }

    /** The batch of this event loop; call on the loop's own thread. */
    static ProtocolLogBatch of(EventExecutor loop) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("a protocol log batch is taken on its own event loop");
        }
        ProtocolLogBatch batch = ON_THIS_LOOP.get();
        if (batch == null) {
            batch = new ProtocolLogBatch(loop);
            ON_THIS_LOOP.set(batch);
        }
        return batch;
    }

    /** A batch of one session's lines, written whenever a line is done. */
    static ProtocolLogBatch unbatched() {
        return new ProtocolLogBatch(null);
    }

    /** Where the next line goes, after a line separator when it is not the first. */
    StringBuilder nextLine() {
        if (!lines.isEmpty()) {
            lines.append(System.lineSeparator());
        }
        return lines;
    }

    /** The line begun with {@link #nextLine} is whole: it goes out with this pass of the loop. */
    void lineDone() {
        if (loop == null || lines.length() >= WRITE_AT) {
            write();
        } else if (!writeScheduled) {
            writeScheduled = true;
            loop.execute(write);
        }
    }

    private void write() {
        writeScheduled = false;
        if (lines.isEmpty()) {
            return;
        }
        LOG.info(lines.toString());
        // A pass that logged far more than usual does not keep its buffer's size for good.
        if (lines.capacity() > WRITE_AT) {
            lines = new StringBuilder(INITIAL);
        } else {
            lines.setLength(0);
        }
    }
}
