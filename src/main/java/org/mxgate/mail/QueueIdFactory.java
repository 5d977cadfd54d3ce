package org.mxgate.mail;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Gives the queue ids of one gateway instance: 8 base-36 characters of the millisecond, 4 of a
 * counter, then the instance id, all in upper case (as Postfix writes its own). One per instance,
 * shared by all its listeners: within the instance the counter tells ids of one millisecond
 * apart (it wraps after 2^20, far more than one millisecond holds); between instances the
 * fixed-length stem leaves the instance id as the distinguishing end (InstanceIdsIT). Ids sort
 * by time while the millisecond fits 8 characters (until 2059). Thread-safe; never blocks.
 */
public final class QueueIdFactory {

    /** Fits 4 base-36 characters (36^4 = 1,679,616). */
    private static final long COUNTER_MASK = (1 << 20) - 1;
    private static final int TIME_CHARS = 8;
    private static final int COUNTER_CHARS = 4;
    /** Where the instance id begins in every queue id. */
    public static final int STEM_LENGTH = TIME_CHARS + COUNTER_CHARS;

    private final String suffix;
    private final LongSupplier millis;
    private final AtomicLong counter;

    public QueueIdFactory(InstanceId instance) {
        // A random start, so a restart within the same millisecond does not repeat the last ids.
        this(instance, System::currentTimeMillis, ThreadLocalRandom.current().nextInt(1 << 20));
    }

    /** @param millis the clock; {@code firstCount} the counter before the first id */
    QueueIdFactory(InstanceId instance, LongSupplier millis, long firstCount) {
        this.suffix = instance.value().toUpperCase(Locale.ROOT);
        this.millis = millis;
        this.counter = new AtomicLong(firstCount);
    }

    public QueueId next() {
        long count = counter.incrementAndGet() & COUNTER_MASK;
        return new QueueId(base36(millis.getAsLong(), TIME_CHARS) + base36(count, COUNTER_CHARS) + suffix);
    }

    private static String base36(long n, int width) {
        String digits = Long.toString(n, 36).toUpperCase(Locale.ROOT);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }
}
