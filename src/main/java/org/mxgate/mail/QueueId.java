package org.mxgate.mail;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Our id for one transaction, shown in the 250 reply, the Received header and the protocol log
 * so an admin can follow a message. Time-ordered, unique within a process: 8 characters of milliseconds and 4 of a counter, base 36.
 */
public record QueueId(String value) {

    private static final AtomicLong COUNTER = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));

    public static QueueId next() {
        long millis = System.currentTimeMillis();
        long count = COUNTER.incrementAndGet() & 0xFFFFF;
        String time = Long.toString(millis, 36).toUpperCase();
        String seq = Long.toString(count, 36).toUpperCase();
        return new QueueId(time + "0".repeat(Math.max(0, 4 - seq.length())) + seq);
    }

    @Override
    public String toString() {
        return value;
    }
}
