package org.mxgate;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What lab/run declares about the lab in its tables: the components and clients (name → address
 * in the compose network, 172.30.25.0/24), the ports it moves (container port → offset from
 * LAB_PORT_BASE) and its internet client's address.
 */
record LabScript(String text, Map<String, String> components, Map<String, String> clients, Map<Integer, Integer> ports,
                 String internetClient) {

    static LabScript read(Path file) {
        String text = LabFiles.read(file.toString());
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        table(text, "PORTS").forEach((port, offset) -> ports.put(Integer.parseInt(port), Integer.parseInt(offset)));
        return new LabScript(text, addresses(table(text, "COMPONENTS")), addresses(table(text, "CLIENTS")), ports,
                line(text, "INTERNET_CLIENT=(\\S+)"));
    }

    private static Map<String, String> table(String text, String name) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String entry : line(text, name + "=\\(([^)]*)\\)").trim().split("\\s+")) {
            String[] pair = entry.split(":");
            entries.put(pair[0], pair[1]);
        }
        return entries;
    }

    private static Map<String, String> addresses(Map<String, String> lastBytes) {
        Map<String, String> addresses = new LinkedHashMap<>();
        lastBytes.forEach((name, last) -> addresses.put(name, "172.30.25." + last));
        return addresses;
    }

    private static String line(String text, String regex) {
        Matcher m = Pattern.compile("(?m)^" + regex + "$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("lab/run has no line " + regex);
        }
        return m.group(1);
    }
}
