package org.mxgate;

import static java.util.stream.Collectors.joining;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The package table of docs/architecture.md, enforced on the compiled main classes: every
 * dependency between mxgate packages is an arrow of the table, every arrow of the table is used,
 * no packages form a cycle, and each package-info.java names the packages of its row. The checker
 * is also run on fixture classes against small tables, to show that it fails where it should.
 */
class PackageRulesTest {

    private static final String ROOT = "org.mxgate";
    private static final Path CLASSES = Path.of("target/classes");
    private static final Path TEST_CLASSES = Path.of("target/test-classes");
    private static final Path SOURCES = Path.of("src/main/java/org/mxgate");
    private static final String FIXTURE = "org.mxgate.rulesfixture.layered";
    private static final String CYCLE_FIXTURE = "org.mxgate.rulesfixture.cycle";
    private static final String HEADER = "| package | what lives there | may depend on |\n|---|---|---|\n";
    /** The table the layered fixture follows exactly. */
    private static final String FIXTURE_TABLE = HEADER
            + "| `values` | `Amount` | JDK |\n"
            + "| `logic` | `Rule` | values (`Amount`) |\n"
            + "| `shell` | `Runner`, `DemoStore` | logic, values |\n"
            + "| `spare` | `Spare` | JDK |\n";

    private static final Pattern DEPENDS = Pattern.compile("(?:Depends|May depend) on:?\\s+([^.]*)\\.");
    private static final Set<String> LINKING_WORDS = Set.of("and", "the", "JDK", "only", "every", "package");

    private static Map<String, Set<String>> mainClasses() throws IOException {
        Map<String, Set<String>> classes = ClassReferences.read(CLASSES);
        assertTrue(classes.size() > 100, "read only " + classes.size() + " classes from " + CLASSES);
        return classes;
    }

    @Test
    void theCodeFollowsTheTableOfDocsArchitecture() throws IOException {
        PackageTable table = PackageTable.read(PackageTable.ARCHITECTURE);

        List<PackageRules.Problem> problems = PackageRules.check(ROOT, table, mainClasses(), PackageRules.LIBRARIES);

        assertTrue(problems.isEmpty(), () -> problems.size() + " problems; docs/architecture.md, section Packages,"
                + " says how to fix each:\n  " + problems.stream().map(Object::toString).collect(joining("\n  ")));
    }

    @Test
    void everyPackageInfoNamesThePackagesOfItsRow() throws IOException {
        PackageTable table = PackageTable.read(PackageTable.ARCHITECTURE);
        List<String> problems = new ArrayList<>();
        for (PackageTable.Row row : table.rows().values()) {
            Path dir = row.pkg().equals(ROOT) ? SOURCES : SOURCES.resolve(row.pkg().replace('.', '/'));
            Path info = dir.resolve("package-info.java");
            if (!Files.exists(info)) {
                problems.add(info + ": missing");
                continue;
            }
            String problem = dependsSentenceProblem(row, table, Files.readString(info));
            if (problem != null) {
                problems.add(info + ": " + problem);
            }
        }
        assertEquals(List.of(), problems);
    }

    /** What is wrong with the "Depends on …" sentence of a package-info.java, or null. */
    static String dependsSentenceProblem(PackageTable.Row row, PackageTable table, String source) {
        String text = source.replaceAll("(?m)^\\s*/?\\*+/?", " ").replaceAll("\\{@\\w+ [^}]*}", " ");
        for (String before = ""; !before.equals(text); ) {
            before = text;
            text = text.replaceAll("\\([^()]*\\)", " ");
        }
        Matcher m = DEPENDS.matcher(text.replaceAll("\\s+", " "));
        if (!m.find()) {
            return "no sentence 'Depends on ….'";
        }
        Set<String> named = new TreeSet<>();
        for (String word : m.group(1).split("[\\s,:]+")) {
            if (table.rows().containsKey(word)) {
                named.add(word);
            } else if (!word.isEmpty() && !LINKING_WORDS.contains(word)) {
                return "'" + word + "' in '" + m.group() + "' is not a package of the table";
            }
        }
        String sentence = m.group(1);
        if (row.mayUseAll()) {
            return sentence.contains("every package") ? null : "the row says all: write 'every package'";
        }
        if (row.arrows().isEmpty()) {
            return sentence.contains("the JDK only") ? null : "the row says JDK: write 'the JDK only'";
        }
        Set<String> expected = new TreeSet<>(row.arrows().keySet());
        return named.equals(expected) ? null : "names " + named + ", the row " + expected;
    }

    @Test
    void theRealCodeFailsAgainstAWrongRowOfTheRealTable() throws IOException {
        // relay without its arrow to backend, and with one to smtp that no relay class takes.
        PackageTable real = PackageTable.read(PackageTable.ARCHITECTURE);
        Map<String, Set<String>> arrows = new LinkedHashMap<>(real.rows().get("relay").arrows());
        arrows.remove("backend");
        arrows.put("smtp", Set.of());
        Map<String, PackageTable.Row> rows = new LinkedHashMap<>(real.rows());
        rows.put("relay", new PackageTable.Row("relay", false, arrows));

        List<PackageRules.Problem> problems = PackageRules.check(ROOT, new PackageTable(rows), mainClasses(),
                PackageRules.LIBRARIES);

        assertEquals(List.of("arrow not in the table: relay -> backend", "arrow no code uses: relay -> smtp"),
                summaries(problems));
    }

    @Test
    void theFixtureFollowsItsTable() {
        assertEquals(List.of(), check(FIXTURE, FIXTURE_TABLE));
    }

    @Test
    void anArrowTheTableLacksFailsEvenWithoutAnImportLine() {
        String table = FIXTURE_TABLE.replace("| values (`Amount`) |", "| JDK |");

        List<PackageRules.Problem> problems = PackageRules.check(FIXTURE, PackageTable.parse(table), fixture(FIXTURE),
                List.of());

        assertEquals(List.of("arrow not in the table: logic -> values"), summaries(problems));
        assertEquals(FIXTURE + ".logic.Rule uses " + FIXTURE + ".values.Amount", problems.get(0).detail());
    }

    @Test
    void aClassOutsideTheNoteOfAnArrowFails() {
        String table = FIXTURE_TABLE.replace("| values (`Amount`) |", "| values (`Price`) |");

        assertEquals(List.of("class outside the note: logic -> values.Amount",
                "class in a note no code uses: logic -> values.Price"), summaries(check(FIXTURE, table)));
    }

    @Test
    void anArrowNoCodeUsesFails() {
        String table = FIXTURE_TABLE.replace("| values (`Amount`) |", "| values (`Amount`), spare |");

        assertEquals(List.of("arrow no code uses: logic -> spare"), summaries(check(FIXTURE, table)));
    }

    @Test
    void aPackageMissingFromTheTableOrARowWithoutClassesFails() {
        String table = FIXTURE_TABLE.replace("| `spare` | `Spare` | JDK |\n", "| `ghost` | nothing | JDK |\n");

        assertEquals(List.of("package not in the table: spare", "package without classes: ghost"),
                summaries(check(FIXTURE, table)));
    }

    @Test
    void aCycleFailsEvenWhereTheRowsAllowIt() {
        // "all" allows a -> b and the row of b allows b -> a: every arrow is allowed, the loop is not.
        String table = HEADER + "| `a` | `First` | all |\n| `b` | `Second` | a |\n";

        List<PackageRules.Problem> problems = check(CYCLE_FIXTURE, table);

        assertEquals(List.of("cycle: a -> b -> a"), summaries(problems));
        assertEquals(CYCLE_FIXTURE + ".a.First uses " + CYCLE_FIXTURE + ".b.Second\n      "
                + CYCLE_FIXTURE + ".b.Second uses " + CYCLE_FIXTURE + ".a.First", problems.get(0).detail());
    }

    @Test
    void greenMailOutsideCliFails() {
        List<PackageRules.Problem> problems = PackageRules.check(FIXTURE, PackageTable.parse(FIXTURE_TABLE),
                fixture(FIXTURE), PackageRules.LIBRARIES);

        assertEquals(List.of("library outside its packages: shell -> GreenMail"), summaries(problems));
    }

    @Test
    void theTableReaderRefusesACellItCannotRead() {
        // A note is a list of classes; prose there would be an arrow nobody checks.
        String prose = FIXTURE_TABLE.replace("| values (`Amount`) |", "| values (the values) |");
        String noPackage = FIXTURE_TABLE.replace("| values (`Amount`) |", "| Values and more |");

        assertThrows(IllegalArgumentException.class, () -> PackageTable.parse(prose));
        assertThrows(IllegalArgumentException.class, () -> PackageTable.parse(noPackage));
    }

    @Test
    void aPackageInfoThatLeavesOutAnArrowFails() {
        PackageTable table = PackageTable.parse(FIXTURE_TABLE);
        PackageTable.Row shell = table.rows().get("shell");

        assertEquals(null, dependsSentenceProblem(shell, table, "/**\n * Runs. Depends on logic and values.\n */"));
        assertEquals("names [logic], the row [logic, values]",
                dependsSentenceProblem(shell, table, "/** Runs. Depends on logic (the {@code Rule}). */"));
        assertEquals("the row says JDK: write 'the JDK only'",
                dependsSentenceProblem(table.rows().get("spare"), table, "/** Spare. Depends on the JDK. */"));
    }

    private static List<PackageRules.Problem> check(String root, String table) {
        return PackageRules.check(root, PackageTable.parse(table), fixture(root), List.of());
    }

    private static Map<String, Set<String>> fixture(String root) {
        try {
            return ClassReferences.read(TEST_CLASSES.resolve(root.replace('.', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> summaries(List<PackageRules.Problem> problems) {
        return problems.stream().map(PackageRules.Problem::summary).toList();
    }
}
