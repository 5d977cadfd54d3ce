package org.mxgate.mail;

import java.text.Normalizer;
import java.util.Optional;

/**
 * A mailbox from a MAIL or RCPT path, parsed strictly by RFC 5321 4.1.2 (with RFC 6531 UTF-8).
 * The local part is kept as written, quotes included, so it is relayed exactly; the domain
 * loses only a trailing dot. Never guesses: anything outside the grammar is no address.
 */
public record MailAddress(String localPart, String domain) {

    public static final MailAddress NULL_SENDER = new MailAddress("", "");

    // RFC 5321 4.5.3.1.1 and 4.5.3.1.2: local part at most 64 octets, domain at most 255.
    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 255;

    /** Parses a path in angle brackets: {@code <>}, {@code <a@b>}, {@code <@r1,@r2:a@b>}, {@code <postmaster>}. */
    public static Optional<MailAddress> parsePath(String path) {
        if (path.length() < 2 || path.charAt(0) != '<' || path.charAt(path.length() - 1) != '>') {
            return Optional.empty();
        }
        String inner = path.substring(1, path.length() - 1);
        if (inner.isEmpty()) {
            return Optional.of(NULL_SENDER);
        }
        if (inner.charAt(0) == '@') {
            // RFC 5321 4.1.2 and appendix C: a source route is accepted and ignored.
            int colon = inner.indexOf(':');
            if (colon < 0 || !isSourceRoute(inner.substring(0, colon))) {
                return Optional.empty();
            }
            inner = inner.substring(colon + 1);
        }
        // RFC 5321 4.1.1.3: "<Postmaster>" without a domain names the local postmaster.
        if (isPostmaster(inner)) {
            return Optional.of(new MailAddress(inner, ""));
        }
        return parseMailbox(inner);
    }

    private static boolean isSourceRoute(String route) {
        for (String hop : route.split(",", -1)) {
            if (hop.length() < 2 || hop.charAt(0) != '@' || !isDomain(hop.substring(1))) {
                return false;
            }
        }
        return true;
    }

    /** Parses a mailbox without brackets or source route, {@code local@domain} (RFC 5321 4.1.2 Mailbox). */
    public static Optional<MailAddress> parseMailbox(String mailbox) {
        int at = localPartEnd(mailbox);
        if (at <= 0 || at >= mailbox.length() || mailbox.charAt(at) != '@') {
            return Optional.empty();
        }
        String local = mailbox.substring(0, at);
        String domain = mailbox.substring(at + 1);
        if (domain.endsWith(".") && !domain.endsWith("..")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (utf8Length(local) > MAX_LOCAL || !(isDomain(domain) || isAddressLiteral(domain))) {
            return Optional.empty();
        }
        return Optional.of(new MailAddress(local, domain));
    }

    /** Index of the '@' after a valid local part, or -1. */
    private static int localPartEnd(String s) {
        if (s.startsWith("\"")) {
            int i = 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\') {
                    // RFC 5321 4.1.2: quoted-pairSMTP is a backslash and one printable ASCII character.
                    if (i + 1 >= s.length() || s.charAt(i + 1) < 32 || s.charAt(i + 1) > 126) {
                        return -1;
                    }
                    i += 2;
                } else if (c == '"') {
                    return i + 1 < s.length() ? i + 1 : -1;
                } else if (c < 32 || c == 127) {
                    return -1;
                } else {
                    i++;
                }
            }
            return -1;
        }
        int at = s.lastIndexOf('@');
        if (at <= 0) {
            return -1;
        }
        String dotString = s.substring(0, at);
        if (dotString.startsWith(".") || dotString.endsWith(".") || dotString.contains("..")) {
            return -1;
        }
        for (int i = 0; i < dotString.length(); i++) {
            char c = dotString.charAt(i);
            if (c != '.' && !isAtext(c)) {
                return -1;
            }
        }
        return at;
    }

    // RFC 5322 3.2.3 atext, plus RFC 6531 UTF8-non-ascii.
    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0 || c >= 0x80;
    }

    static boolean isDomain(String domain) {
        if (domain.isEmpty() || utf8Length(domain) > MAX_DOMAIN) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ldh = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ldh && c < 0x80 || isIdnDot(c)) {
                    return false;
                }
            }
            if (!label.chars().allMatch(c -> c < 0x80) && !isLdh(Normalizer.normalize(label, Normalizer.Form.NFKC))) {
                return false;
            }
        }
        return true;
    }

    /**
     * IDNA maps a label through NFKC before it becomes an A-label, and NFKC turns some characters
     * into ASCII punctuation: the one dot leader U+2024 into ".", "\u2488" into "1.". Such a label
     * would compare as other labels than it is written ("d\u2024" as "d.": MailAddressFuzzTest),
     * and IDNA2008 allows none of them.
     */
    private static boolean isLdh(String normalizedLabel) {
        return normalizedLabel.chars().allMatch(c -> c >= 0x80 || c == '-' || (c >= '0' && c <= '9')
                || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    }

    /**
     * RFC 3490 3.1: IDNA reads these as dots, so Domain would compare "x\u3002" as "x." and
     * "\u3002" as the root (MailAddressFuzzTest). IDNA2008 allows none of them in a label.
     */
    private static boolean isIdnDot(char c) {
        return c == '\u3002' || c == '\uff0e' || c == '\uff61';
    }

    // RFC 5321 4.1.3: [192.0.2.1] or [IPv6:2001:db8::1]; anything else in brackets is no address.
    private static boolean isAddressLiteral(String domain) {
        if (domain.length() < 3 || domain.charAt(0) != '[' || domain.charAt(domain.length() - 1) != ']') {
            return false;
        }
        String inner = domain.substring(1, domain.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = inner.substring(5);
            // A literal starts with a hex digit or a colon; the JDK resolves anything else as a name
            // (".:1" would be a DNS lookup on the event loop: MailAddressFuzzTest).
            return v6.contains(":") && v6.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*") && isIpLiteral(v6);
        }
        return inner.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    }

    private static boolean isIpLiteral(String text) {
        try {
            // Only hex digits, colons and dots reach here, the first a hex digit or a colon, and
            // with a colon in it: the JDK parses that as an IPv6 literal or refuses it, never
            // looking it up.
            java.net.InetAddress.getByName(text);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    public boolean isNullSender() {
        return localPart.isEmpty();
    }

    /**
     * "postmaster" in any ASCII case; equalsIgnoreCase alone would also take the long s of
     * "po\u017Ftmaster", which would pass a DNSBL-listed client as writing to our postmaster.
     */
    public static boolean isPostmaster(String localPart) {
        return localPart.length() == 10 && localPart.chars().allMatch(c -> c < 0x80)
                && localPart.equalsIgnoreCase("postmaster");
    }

    /** The bare {@code <postmaster>} recipient, which RFC 5321 4.1.1.3 requires us to accept. */
    public boolean isBarePostmaster() {
        return domain.isEmpty() && !localPart.isEmpty();
    }

    public Domain domainName() {
        return Domain.of(domain);
    }

    /** A local part that asks a next hop to route on (%, ! or a quoted @): sender-specified routing. */
    public boolean hasRoutingCharacters() {
        return localPart.indexOf('%') >= 0 || localPart.indexOf('!') >= 0 || localPart.indexOf('@') >= 0;
    }

    /** True when the address needs the SMTPUTF8 extension (RFC 6531). */
    public boolean isAscii() {
        for (int i = 0; i < localPart.length(); i++) {
            if (localPart.charAt(i) >= 0x80) {
                return false;
            }
        }
        for (int i = 0; i < domain.length(); i++) {
            if (domain.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The path as it goes on the wire, brackets included. */
    public String path() {
        return "<" + this + ">";
    }

    @Override
    public String toString() {
        if (isNullSender()) {
            return "";
        }
        return domain.isEmpty() ? localPart : localPart + "@" + domain;
    }
}
