package org.mxgate.fuzz;

/**
 * What every fuzz target ({@code *FuzzTest}, Jazzer's {@code @FuzzTest}) shares. Under
 * {@code mvn verify} each target replays its stored inputs, the files under
 * {@code src/test/resources/<package>/<Class>Inputs/<method>/}: the seeds and every input that
 * once found something. With {@code mvn -Pfuzz test} (what {@code .ci/run} does) each target is
 * fuzzed for {@link #TIME_BOX}; a finding fails the build and Jazzer stores its input in that
 * directory, so it becomes a regression input too. docs/security.md lists the targets.
 *
 * <p>{@code @DictionaryEntries} are copied into a libFuzzer dictionary file as they are, so a
 * line end, a quote or a backslash in an entry is written in libFuzzer's escape, {@code "\\x0D"}:
 * a raw line end breaks the file and the target stops before it fuzzes.
 */
public final class FuzzTargets {

    /** How long one target is fuzzed: long enough to pass its seeds' neighbourhoods, short enough for CI. */
    public static final String TIME_BOX = "60s";

    private FuzzTargets() {
    }
}
