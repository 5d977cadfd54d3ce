package org.mxgate.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogTimeTest {

    @Test
    void writesWhatInstantToStringWrites() {
        for (String text : new String[] {
                "2026-11-28T04:05:00Z", "2026-11-28T04:05:09.100Z", "2026-11-28T04:05:59.000001Z",
                "2026-11-28T04:05:59.999999999Z", "2026-11-28T04:06:00.000000001Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.5Z", "0001-01-01T00:00:00.010Z", "9999-12-31T23:59:59.123456Z",
                "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z"}) {
            Instant instant = Instant.parse(text);
            assertEquals("x" + instant, LogTime.append(new StringBuilder("x"), instant).toString());
        }
    }

    @Test
    void writesWhatInstantToStringWritesAcrossMinutesAndPrecisions() {
        SplittableRandom random = new SplittableRandom(19);
        Instant start = Instant.parse("2026-11-28T23:58:00Z");
        for (int i = 0; i < 20_000; i++) {
            long nanos = switch (i % 3) {
                case 0 -> random.nextInt(1000) * 1_000_000L;
                case 1 -> random.nextInt(1_000_000) * 1_000L;
                default -> random.nextInt(1_000_000_000);
            };
            // Forward and back across the minutes, and midnight, so the kept minute is both reused and replaced.
            Instant instant = start.plusSeconds(random.nextInt(-600, 600)).plusNanos(nanos);
            assertEquals(instant.toString(), LogTime.append(new StringBuilder(), instant).toString());
        }
    }
}
