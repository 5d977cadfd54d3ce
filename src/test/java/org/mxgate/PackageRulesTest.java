package org.mxgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package table of docs/architecture.md, enforced: every import between mxgate packages
 * must be an allowed arrow, and every package has a package-info.java repeating its row.
 */
class PackageRulesTest {

    private static final Path SOURCES = Path.of("src/main/java/org/mxgate");
    private static final Set<String> ALL = Set.of("*");

    /** Package → the mxgate packages it may import (itself always allowed). */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("", ALL),
            Map.entry("cli", ALL),
            Map.entry("mail", Set.of()),
            Map.entry("net", Set.of()),
            Map.entry("config", Set.of("mail", "net")),
            Map.entry("policy", Set.of("config", "mail", "net", "dnsbl")),
            Map.entry("smtp", Set.of("policy", "config", "mail", "net", "dnsbl", "auth")),
            Map.entry("log", Set.of("mail", "net")),
            Map.entry("dnsbl", Set.of("config", "mail", "net")),
            Map.entry("tls", Set.of("config")),
            Map.entry("auth", Set.of("config", "mail", "net", "log")),
            Map.entry("backend", Set.of("config", "mail", "net", "log", "tls")),
            Map.entry("relay", Set.of("backend", "config", "mail", "net", "log")),
            Map.entry("listener", Set.of("smtp", "policy", "dnsbl", "relay", "backend", "config", "mail", "net", "log",
                    "auth", "tls")));

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?org\\.mxgate\\.([a-z]+)\\.", Pattern.MULTILINE);

    /** The imports of one source file that the table does not allow, as "file: package -> imported". */
    static List<String> violations(String file, String pkg, String source) {
        List<String> out = new ArrayList<>();
        Set<String> allowed = ALLOWED.get(pkg);
        if (allowed == null) {
            out.add(file + ": package '" + pkg + "' is not in the table");
            return out;
        }
        Matcher m = IMPORT.matcher(source);
        while (m.find()) {
            String imported = m.group(1);
            if (!imported.equals(pkg) && allowed != ALL && !allowed.contains(imported)) {
                out.add(file + ": " + (pkg.isEmpty() ? "org.mxgate" : pkg) + " -> " + imported);
            }
        }
        return out;
    }

    @Test
    void everyImportBetweenPackagesIsAnAllowedArrow() throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path dir = SOURCES.relativize(file.getParent());
                String pkg = dir.toString().replace('/', '.');
                problems.addAll(violations(SOURCES.relativize(file).toString(), pkg, Files.readString(file)));
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyPackageHasAPackageInfo() throws IOException {
        Map<String, Boolean> packages = new TreeMap<>();
        try (Stream<Path> dirs = Files.walk(SOURCES)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.equals(SOURCES)).toList()) {
                packages.put(SOURCES.relativize(dir).toString(), Files.exists(dir.resolve("package-info.java")));
            }
        }
        assertTrue(packages.size() >= 10, "found packages " + packages.keySet());
        packages.forEach((pkg, hasInfo) -> assertTrue(hasInfo, pkg + " has no package-info.java"));
    }

    @Test
    void theCheckCatchesAForbiddenArrow() {
        // The checker itself must be able to fail: policy may not reach into smtp, nor mail into net.
        String source = "package org.mxgate.policy;\nimport org.mxgate.smtp.SmtpSession;\nimport org.mxgate.mail.Reply;\n";
        assertEquals(List.of("Policy.java: policy -> smtp"), violations("Policy.java", "policy", source));
        assertEquals(List.of("A.java: mail -> net"), violations("A.java", "mail", "import static org.mxgate.net.Cidr.parse;\n"));
    }
}
