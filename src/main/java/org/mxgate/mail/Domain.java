package org.mxgate.mail;

import java.util.Locale;

/**
 * A domain name in the form policy compares: lower case, without a trailing dot. An address
 * literal such as {@code [192.0.2.1]} is kept as written and is never equal to a name.
 */
public record Domain(String name) {

    public Domain {
        String lower = name.toLowerCase(Locale.ROOT);
        name = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
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
