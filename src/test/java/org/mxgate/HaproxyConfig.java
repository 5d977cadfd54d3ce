package org.mxgate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** haproxy.cfg read as sections (a line at the margin, e.g. "backend x") of directives (indented lines). */
record HaproxyConfig(Map<String, Section> sections) {

    record Section(String name, List<String> lines) {

        /** The rest of the first directive that starts with the key, or null. */
        String value(String key) {
            return lines.stream().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1).trim())
                    .findFirst().orElse(null);
        }

        /** Every directive that starts with the key, whole. */
        List<String> all(String key) {
            return lines.stream().filter(l -> l.startsWith(key + " ")).toList();
        }
    }

    static HaproxyConfig read(Path file) {
        Map<String, Section> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : LabFiles.read(file.toString()).lines().toList()) {
            String text = line.replaceFirst("\\s*#.*", "");
            if (text.isBlank()) {
                continue;
            }
            if (Character.isWhitespace(text.charAt(0))) {
                current.add(text.trim().replaceAll("\\s+", " "));
            } else {
                current = new ArrayList<>();
                sections.put(text.trim(), new Section(text.trim(), current));
            }
        }
        return new HaproxyConfig(sections);
    }

    Section section(String name) {
        Section section = sections.get(name);
        if (section == null) {
            throw new AssertionError("haproxy.cfg has no section '" + name + "'");
        }
        return section;
    }

    /** The address:port of every bind line, in any section. */
    Set<String> binds() {
        Set<String> binds = new TreeSet<>();
        sections.values().forEach(s -> s.all("bind").forEach(b -> binds.add(b.split(" ")[1])));
        return binds;
    }
}
