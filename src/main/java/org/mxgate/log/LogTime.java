package org.mxgate.log;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes an instant exactly as {@link Instant#toString()} does (ISO-8601 in UTC, the fraction in
 * groups of three digits, as many as it needs), without a formatter's per-call work: the date and
 * the time up to the minute are kept for the minute the last stamp fell in, and only the seconds
 * and the fraction are written each time. The protocol log stamps every line with it, some
 * fifteen per session.
 */
final class LogTime {

    /** Years 0001 to 9999, where the text has a fixed shape; others are written by Instant itself. */
    private static final long FIRST_SECOND = -62_135_596_800L;
    private static final long LAST_SECOND = 253_402_300_799L;

    /** The minute last written, shared by the event loops: immutable, so a stale one is only a miss. */
    private static volatile Minute last = new Minute(Long.MIN_VALUE, "");

    private record Minute(long epochMinute, String prefix) {
    }

    private LogTime() {
    }

    static StringBuilder append(StringBuilder out, Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return out.append(instant);
        }
        long epochMinute = Math.floorDiv(seconds, 60);
        Minute minute = last;
        if (minute.epochMinute() != epochMinute) {
            String whole = instant.truncatedTo(ChronoUnit.MINUTES).toString();
            // "2026-11-28T04:05:00Z" without "00Z".
            minute = new Minute(epochMinute, whole.substring(0, whole.length() - 3));
            last = minute;
        }
        out.append(minute.prefix());
        twoDigits(out, (int) Math.floorMod(seconds, 60));
        int nanos = instant.getNano();
        if (nanos > 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                digits(out, nanos / 1_000_000, 100);
            } else if (nanos % 1_000 == 0) {
                digits(out, nanos / 1_000, 100_000);
            } else {
                digits(out, nanos, 100_000_000);
            }
        }
        return out.append('Z');
    }

    private static void twoDigits(StringBuilder out, int value) {
        out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** {@code value} with leading zeros, from the digit {@code highest} stands for down to the units. */
    private static void digits(StringBuilder out, int value, int highest) {
        for (int divisor = highest; divisor > 0; divisor /= 10) {
            out.append((char) ('0' + value / divisor % 10));
        }
    }
}
