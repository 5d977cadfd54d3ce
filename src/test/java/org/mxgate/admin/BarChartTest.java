package org.mxgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bars on a given scale: a full bar at the scale, at least a pixel for one message, none for none. */
class BarChartTest {

    @ParameterizedTest(name = "{0} on {1} -> {2} px")
    @CsvSource({"0, 10, 0", "1, 1000, 1", "5, 10, 20", "10, 10, 40", "20, 10, 40", "3, 0, 0", "7, 7, 40"})
    void heights(long count, long scale, int pixels) {
        assertEquals(pixels, BarChart.height(count, scale));
    }

    @Test
    void newestMinuteIsOnTheRightWithItsTooltip() {
        long[] counts = new long[60];
        counts[59] = 3;
        counts[0] = 1;
        String svg = BarChart.svg("mx1", counts, 3);
        assertTrue(svg.contains("<rect class=\"bar\" x=\"236\" y=\"0\" width=\"3\" height=\"40\"><title>this minute: 3 messages"),
                svg);
        assertTrue(svg.contains("x=\"0\" y=\"27\" width=\"3\" height=\"13\"><title>59 minutes ago: 1 message</title>"), svg);
        assertTrue(svg.contains("aria-label=\"mx1: 4 messages in the last hour, by minute\""));
    }

    @Test
    void emptyHourDrawsOnlyTheBaseline() {
        String svg = BarChart.svg("mx1", new long[60], 0);
        assertFalse(svg.contains("class=\"bar\""));
        assertTrue(svg.contains("<line class=\"base\""));
    }
}
