package org.mxgate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The package table of docs/architecture.md, read from the Markdown itself so that the file stays
 * the one copy of the rules. A cell it cannot read is an error, never a silently allowed arrow.
 *
 * @param rows each package of the table, in the table's order
 */
record PackageTable(Map<String, Row> rows) {

    /** The file whose table the gateway's code must follow. */
    static final Path ARCHITECTURE = Path.of("docs/architecture.md");

    private static final String HEADER = "| package | what lives there | may depend on |";
    private static final Pattern NAME = Pattern.compile("`?([a-z][a-z0-9.]*)`?");
    private static final Pattern ENTRY = Pattern.compile("`?([a-z][a-z0-9]*)`?(?:\\s*\\((.*)\\))?");
    private static final Pattern CLASS = Pattern.compile("`([A-Z][A-Za-z0-9]*)`");

    /**
     * One row: the packages one package may use.
     *
     * @param mayUseAll the cell says {@code all}
     * @param arrows each package it may use → the classes a note names (empty: any class in it)
     */
    record Row(String pkg, boolean mayUseAll, Map<String, Set<String>> arrows) {}

    static PackageTable read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Reads the first table whose header is {@value #HEADER}. */
    static PackageTable parse(String markdown) {
        List<String> lines = markdown.lines().toList();
        int start = lines.indexOf(HEADER);
        if (start < 0) {
            throw new IllegalArgumentException("no table headed '" + HEADER + "'");
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            Row row = row(lines.get(i), i + 1);
            if (rows.put(row.pkg(), row) != null) {
                throw new IllegalArgumentException("line " + (i + 1) + ": package '" + row.pkg() + "' has two rows");
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the package table has no rows");
        }
        return new PackageTable(rows);
    }

    private static Row row(String line, int lineNumber) {
        String[] cells = line.split("\\|", -1);
        if (cells.length != 5) {
            throw new IllegalArgumentException("line " + lineNumber + ": a row has three cells: " + line);
        }
        Matcher name = NAME.matcher(cells[1].strip());
        if (!name.matches()) {
            throw new IllegalArgumentException("line " + lineNumber + ": not a package name: " + cells[1].strip());
        }
        String pkg = name.group(1);
        String uses = cells[3].strip();
        if (uses.equals("all")) {
            return new Row(pkg, true, Map.of());
        }
        Map<String, Set<String>> arrows = new LinkedHashMap<>();
        if (!uses.equals("JDK")) {
            for (String entry : splitOutsideParentheses(uses)) {
                Matcher m = ENTRY.matcher(entry.strip());
                if (!m.matches()) {
                    throw new IllegalArgumentException("line " + lineNumber + ": cannot read '" + entry.strip()
                            + "'; write a package name, optionally followed by (`Class`, …)");
                }
                Set<String> classes = m.group(2) == null ? Set.of() : classes(m.group(2), lineNumber);
                if (arrows.put(m.group(1), classes) != null) {
                    throw new IllegalArgumentException("line " + lineNumber + ": '" + m.group(1) + "' named twice");
                }
            }
        }
        return new Row(pkg, false, arrows);
    }

    /** A note must name classes and nothing else, so that every word of the cell is checked. */
    private static Set<String> classes(String note, int lineNumber) {
        Set<String> classes = new LinkedHashSet<>();
        for (String part : note.split(",")) {
            Matcher m = CLASS.matcher(part.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + lineNumber + ": a note in parentheses names classes"
                        + " as `Class`, not '" + part.strip() + "'");
            }
            classes.add(m.group(1));
        }
        return Set.copyOf(classes);
    }

    private static List<String> splitOutsideParentheses(String cell) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(cell.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(cell.substring(from));
        return parts;
    }
}
