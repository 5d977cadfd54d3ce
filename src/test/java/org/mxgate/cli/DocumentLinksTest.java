package org.mxgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md and docs/ leads somewhere: the file exists, and a
 * {@code #section} names one of its headings as GitHub anchors them. The guide sends admins
 * from section to section; a renamed heading must not leave them at the top of a page.
 */
class DocumentLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** The documents an admin reads: README.md and every page of docs/. */
    static List<Path> documents() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    @Test
    void everyRelativeLinkFindsItsFileAndSection() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : documents()) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            boolean inCode = false;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().startsWith("```")) {
                    inCode = !inCode;
                    continue;
                }
                Matcher link = LINK.matcher(lines.get(i));
                while (!inCode && link.find()) {
                    String target = link.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue;
                    }
                    int hash = target.indexOf('#');
                    Path into = hash == 0 ? file : file.resolveSibling(hash < 0 ? target : target.substring(0, hash)).normalize();
                    if (!Files.exists(into)) {
                        broken.add(file + ":" + (i + 1) + ": no file " + into);
                    } else if (hash >= 0 && into.toString().endsWith(".md")
                            && !anchors(into).contains(target.substring(hash + 1))) {
                        broken.add(file + ":" + (i + 1) + ": no section #" + target.substring(hash + 1) + " in " + into);
                    }
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /** GitHub's anchors: the heading in lower case, without punctuation, spaces as hyphens. */
    static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new HashSet<>();
        boolean inCode = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
                String anchor = heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                String unique = anchor;
                for (int n = 1; anchors.contains(unique); n++) {
                    unique = anchor + "-" + n;
                }
                anchors.add(unique);
            }
        }
        return anchors;
    }
}
