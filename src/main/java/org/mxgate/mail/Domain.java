package org.mxgate.mail;

import java.net.IDN;
import java.util.Locale;

/**
 * A domain name in the form policy compares: lower case, without a trailing dot, and with
 * internationalised labels as A-labels (RFC 5890), so {@code bücher.test} and
 * {@code xn--bcher-kva.test} are the same name. An address literal such as
 * {@code [192.0.2.1]} is kept as written and is never equal to a name.
 */
public record Domain(String name) {

    public Domain {
        String lower = name.toLowerCase(Locale.ROOT);
        lower = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        name = lower.startsWith("[") ? lower : asciiLabels(lower);
    }

    private static String asciiLabels(String name) {
        if (name.chars().allMatch(c -> c < 0x80)) {
            return name;
        }
        try {
            return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            // Not a valid IDN: compared as written, so it can only ever equal itself.
            return name;
        }
    }

    public static Domain of(String name) {
        return new Domain(name);
    }

    public boolean isAddressLiteral() {
        return name.startsWith("[");
    }

    /** True for {@code *.example.test} patterns when this is a subdomain, or for an equal name. */
    public boolean matches(String pattern) {
        if (isAddressLiteral()) {
            return false;
        }
        Domain p = Domain.of(pattern);
        if (p.name.startsWith("*.")) {
            return name.endsWith(p.name.substring(1));
        }
        return name.equals(p.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
