package org.mxgate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks compiled classes, as {@link ClassReferences} reads them, against a {@link PackageTable}:
 * every dependency between the table's packages is an arrow of the table, every arrow and every
 * class a note names is used, and the packages form no cycle.
 */
final class PackageRules {

    /** One finding; {@link #summary()} is what tests compare, {@link #detail()} shows where. */
    record Problem(String kind, String subject, String detail) {
        String summary() {
            return kind + ": " + subject;
        }

        @Override
        public String toString() {
            return summary() + (detail.isEmpty() ? "" : "\n      " + detail);
        }
    }

    /**
     * An outside library kept to some packages ({@code only}) or out of some.
     *
     * @param classPrefix the start of the library's class names, with its final dot
     */
    record LibraryRule(String library, String classPrefix, Set<String> packages, boolean only) {
        static LibraryRule onlyIn(String library, String classPrefix, String... packages) {
            return new LibraryRule(library, classPrefix, Set.of(packages), true);
        }

        static LibraryRule notIn(String library, String classPrefix, String... packages) {
            return new LibraryRule(library, classPrefix, Set.of(packages), false);
        }

        boolean forbids(String pkg, String targetClass) {
            return targetClass.startsWith(classPrefix) && only != packages.contains(pkg);
        }
    }

    /** The library rules that docs/architecture.md lists above the package table. */
    static final List<LibraryRule> LIBRARIES = List.of(
            LibraryRule.onlyIn("GreenMail", "com.icegreen.", "cli"),
            LibraryRule.notIn("Netty", "io.netty.", "policy"),
            LibraryRule.notIn("dnsjava", "org.xbill.", "policy"));

    private static final int SHOWN = 5;

    private final String root;
    private final PackageTable table;
    /** from → to → each top-level class of {@code to} that {@code from} uses → "user uses used" lines. */
    private final Map<String, Map<String, Map<String, SortedSet<String>>>> uses = new TreeMap<>();
    private final Map<String, SortedSet<String>> libraryUses = new TreeMap<>();
    private final SortedSet<String> packages = new TreeSet<>();

    private PackageRules(String root, PackageTable table) {
        this.root = root;
        this.table = table;
    }

    /**
     * Everything in {@code classes} (each class → the classes it names) under {@code root} that breaks
     * {@code table} or {@code libraries}. The row of {@code root} itself is named by its full name;
     * other rows by the first name below it.
     */
    static List<Problem> check(String root, PackageTable table, Map<String, Set<String>> classes,
            List<LibraryRule> libraries) {
        PackageRules rules = new PackageRules(root, table);
        classes.forEach((origin, targets) -> {
            String from = rules.packageOf(origin);
            if (from != null) {
                rules.packages.add(from);
                targets.forEach(target -> rules.record(from, origin, target, libraries));
            }
        });
        List<Problem> problems = new ArrayList<>();
        rules.packagesAgainstRows(problems);
        rules.arrowsAgainstRows(problems);
        rules.unusedArrows(problems);
        rules.libraries(problems);
        rules.cycles(problems);
        return problems;
    }

    private void record(String from, String origin, String target, List<LibraryRule> libraries) {
        String line = origin + " uses " + target;
        for (LibraryRule rule : libraries) {
            if (rule.forbids(from, target)) {
                libraryUses.computeIfAbsent(from + " -> " + rule.library(), k -> new TreeSet<>()).add(line);
            }
        }
        String to = packageOf(target);
        if (to == null || to.equals(from)) {
            return;
        }
        String inPackage = target.substring(target.lastIndexOf('.') + 1);
        uses.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeMap<>())
                .computeIfAbsent(inPackage.split("\\$", 2)[0], k -> new TreeSet<>()).add(line);
    }

    /** The table row a class (by its binary name) falls under, or null outside {@code root}. */
    private String packageOf(String className) {
        int lastDot = className.lastIndexOf('.');
        String name = lastDot < 0 ? "" : className.substring(0, lastDot);
        if (name.equals(root)) {
            return root;
        }
        if (!name.startsWith(root + ".")) {
            return null;
        }
        String below = name.substring(root.length() + 1);
        int dot = below.indexOf('.');
        return dot < 0 ? below : below.substring(0, dot);
    }

    private void packagesAgainstRows(List<Problem> problems) {
        for (String pkg : packages) {
            if (!table.rows().containsKey(pkg)) {
                problems.add(new Problem("package not in the table", pkg, "add its row to the table"));
            }
        }
        for (String pkg : table.rows().keySet()) {
            if (!packages.contains(pkg)) {
                problems.add(new Problem("package without classes", pkg, "remove its row from the table"));
            }
        }
    }

    private void arrowsAgainstRows(List<Problem> problems) {
        uses.forEach((from, targets) -> targets.forEach((to, classes) -> {
            PackageTable.Row row = table.rows().get(from);
            if (row == null || row.mayUseAll()) {
                return;
            }
            Set<String> allowed = row.arrows().get(to);
            if (allowed == null) {
                SortedSet<String> examples = new TreeSet<>();
                classes.values().forEach(examples::addAll);
                problems.add(new Problem("arrow not in the table", from + " -> " + to, examples(examples)));
                return;
            }
            classes.forEach((used, examples) -> {
                if (!allowed.isEmpty() && !allowed.contains(used)) {
                    problems.add(new Problem("class outside the note", from + " -> " + to + "." + used,
                            examples(examples)));
                }
            });
        }));
    }

    /** The table is exact: an allowed arrow that no code uses is a mistake in the table. */
    private void unusedArrows(List<Problem> problems) {
        for (PackageTable.Row row : table.rows().values()) {
            if (!packages.contains(row.pkg())) {
                continue;
            }
            Map<String, Map<String, SortedSet<String>>> used = uses.getOrDefault(row.pkg(), Map.of());
            row.arrows().forEach((to, named) -> {
                if (!used.containsKey(to)) {
                    problems.add(new Problem("arrow no code uses", row.pkg() + " -> " + to,
                            "remove it from the row of " + row.pkg()));
                    return;
                }
                for (String cls : new TreeSet<>(named)) {
                    if (!used.get(to).containsKey(cls)) {
                        problems.add(new Problem("class in a note no code uses", row.pkg() + " -> " + to + "." + cls,
                                "remove it from the note"));
                    }
                }
            });
        }
    }

    private void libraries(List<Problem> problems) {
        libraryUses.forEach((use, examples) -> problems.add(new Problem("library outside its packages", use,
                examples(examples))));
    }

    /** Each strongly connected group of packages is one cycle, shown by its shortest loop. */
    private void cycles(List<Problem> problems) {
        for (SortedSet<String> group : new StronglyConnected(uses).groups()) {
            if (group.size() < 2) {
                continue;
            }
            List<String> loop = shortestLoop(group.first(), group);
            List<String> why = new ArrayList<>();
            for (int i = 0; i + 1 < loop.size(); i++) {
                why.add(uses.get(loop.get(i)).get(loop.get(i + 1)).values().iterator().next().first());
            }
            problems.add(new Problem("cycle", String.join(" -> ", loop), String.join("\n      ", why)));
        }
    }

    private List<String> shortestLoop(String start, Set<String> group) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.removeFirst();
            for (String next : uses.getOrDefault(at, Map.of()).keySet()) {
                if (!group.contains(next) || cameFrom.containsKey(next)) {
                    continue;
                }
                cameFrom.put(next, at);
                if (next.equals(start)) {
                    List<String> loop = new ArrayList<>(List.of(start));
                    for (String step = at; !step.equals(start); step = cameFrom.get(step)) {
                        loop.add(0, step);
                    }
                    loop.add(0, start);
                    return loop;
                }
                queue.addLast(next);
            }
        }
        throw new IllegalStateException("no loop through " + start + " in " + group);
    }

    /** The first few lines of evidence, enough to find the code without flooding the report. */
    private static String examples(SortedSet<String> examples) {
        List<String> shown = examples.stream().limit(SHOWN).toList();
        String more = examples.size() > SHOWN ? "\n      and " + (examples.size() - SHOWN) + " more" : "";
        return String.join("\n      ", shown) + more;
    }

    /** Tarjan's strongly connected components over the package graph. */
    private static final class StronglyConnected {
        private final Map<String, ? extends Map<String, ?>> edges;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final List<SortedSet<String>> groups = new ArrayList<>();

        StronglyConnected(Map<String, ? extends Map<String, ?>> edges) {
            this.edges = edges;
        }

        List<SortedSet<String>> groups() {
            SortedSet<String> nodes = new TreeSet<>(edges.keySet());
            edges.values().forEach(targets -> nodes.addAll(targets.keySet()));
            for (String node : nodes) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
            return groups;
        }

        private void visit(String node) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            Map<String, ?> targets = edges.get(node);
            for (String next : targets == null ? Set.<String>of() : targets.keySet()) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (stack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                SortedSet<String> group = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    group.add(member);
                } while (!member.equals(node));
                groups.add(group);
            }
        }
    }
}
