package org.mxgate.log;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.mxgate.mail.InstanceId;

/**
 * Gives the session ids of one gateway instance, shared by all its listeners: a counter from a
 * random start, as 8 lower-case base-36 characters, then the instance id. Unique within the
 * instance until 36^8 (2.8 trillion) sessions; a restart starts elsewhere in that range, so two
 * runs of one instance repeat an id only if their ranges meet. Not time-ordered: the log line's
 * time stamp orders sessions. Thread-safe; never blocks.
 */
public final class SessionIdFactory {

    private static final int CHARS = 8;
    private static final long VALUES = 2_821_109_907_456L; // 36^8

    private final InstanceId instance;
    private final AtomicLong counter;

    public SessionIdFactory(InstanceId instance) {
        this(instance, ThreadLocalRandom.current().nextLong(VALUES));
    }

    /** @param firstCount the counter before the first id */
    SessionIdFactory(InstanceId instance, long firstCount) {
        this.instance = instance;
        this.counter = new AtomicLong(firstCount);
    }

    public InstanceId instance() {
        return instance;
    }

    public SessionId next() {
        String digits = Long.toString(Math.floorMod(counter.incrementAndGet(), VALUES), 36);
        return new SessionId("0".repeat(CHARS - digits.length()) + digits + instance.value(), instance);
    }
}
