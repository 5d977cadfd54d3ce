package org.mxgate.log;

import java.util.concurrent.ThreadLocalRandom;

/** A short random id naming one client session in every log line about it. */
public record SessionId(String value) {

    public static SessionId next() {
        return new SessionId(Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36));
    }

    @Override
    public String toString() {
        return value;
    }
}
