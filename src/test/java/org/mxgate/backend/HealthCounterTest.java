package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rise/fall counting: results in, state and state changes out (F = failure, S = success). */
class HealthCounterTest {

    @ParameterizedTest(name = "rise {0} fall {1}: {2} -> {3}")
    @CsvSource({
        "2, 3, FF,        UU",
        "2, 3, FFF,       UUD",
        "2, 3, FFSFFF,    UUUUUD",
        "2, 3, FFFS,      UUDD",
        "2, 3, FFFSS,     UUDDU",
        "2, 3, FFFSFSS,   UUDDDDU",
        "1, 1, FSFS,      DUDU",
    })
    void stateAfterEachResult(int rise, int fall, String results, String states) {
        HealthCounter counter = new HealthCounter(rise, fall);
        StringBuilder seen = new StringBuilder();
        int changes = 0;
        for (char r : results.toCharArray()) {
            boolean wasUp = counter.isUp();
            boolean changed = counter.record(r == 'S');
            assertEquals(wasUp != counter.isUp(), changed, "a change is reported exactly when the state flips");
            changes += changed ? 1 : 0;
            seen.append(counter.isUp() ? 'U' : 'D');
        }
        assertEquals(states, seen.toString());
    }

    /** A server a reload adds starts down, and its first passed probe brings it up; a failure first needs rise. */
    @ParameterizedTest(name = "starting down, rise {0} fall {1}: {2} -> {3}")
    @CsvSource({
        "2, 3, S,         U",
        "3, 3, S,         U",
        "1, 1, S,         U",
        "2, 3, FS,        DD",
        "2, 3, FSS,       DDU",
        "2, 3, SF,        UU",
    })
    void aServerAddedByAReloadIsDownUntilItsFirstPassedProbe(int rise, int fall, String results, String states) {
        HealthCounter counter = HealthCounter.startingDown(rise, fall);
        StringBuilder seen = new StringBuilder();
        for (char r : results.toCharArray()) {
            counter.record(r == 'S');
            seen.append(counter.isUp() ? 'U' : 'D');
        }
        assertEquals(states, seen.toString());
        assertEquals(false, HealthCounter.startingDown(rise, fall).isUp());
    }
}
