package org.mxgate.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.mxgate.fuzz.FuzzTargets;
import org.mxgate.fuzz.NameLookups;

/**
 * Fuzzes the path parser, {@link MailAddress#parsePath} and {@link MailAddress#parseMailbox}: an
 * address, written out again, parses the same; its parts keep the RFC 5321 4.5.3.1 limits; its
 * domain is what follows the path's last {@code @}, so no quoting, source route or {@code %}
 * trick makes the gateway route on another domain than a next hop would read; and no IP literal
 * is ever resolved (the path is parsed on the event loop).
 */
class MailAddressFuzzTest {

    @BeforeAll
    static void noNameLookups() {
        NameLookups.forbid();
    }

    @FuzzTest(maxDuration = FuzzTargets.TIME_BOX)
    @DictionaryEntries({"<", ">", "@", "\\x22", "\\x5C", ",@", ":", ".", "[IPv6:", "::", "]", "[192.0.2.1]", "postmaster", "%", "!",
        "xn--", "\u00f6", "\u3002", "\uff0e"})
    void path(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        MailAddress.parsePath(text).ifPresent(address -> {
            checkAddress(address);
            assertEquals(Optional.of(address), MailAddress.parsePath(address.path()), "written out, parses otherwise");
            if (!address.isNullSender() && !address.isBarePostmaster()) {
                String inner = text.substring(1, text.length() - 1);
                assertEquals(withoutOneTrailingDot(inner.substring(inner.lastIndexOf('@') + 1)), address.domain(),
                        "the domain is not what follows the last @");
            }
        });
        MailAddress.parseMailbox(text).ifPresent(address -> {
            checkAddress(address);
            assertEquals(Optional.of(address), MailAddress.parseMailbox(address.toString()), "written out, parses otherwise");
            assertEquals(withoutOneTrailingDot(text.substring(text.lastIndexOf('@') + 1)), address.domain(),
                    "the domain is not what follows the last @");
        });
    }

    private static void checkAddress(MailAddress address) {
        if (address.isNullSender()) {
            assertEquals("", address.domain());
            return;
        }
        if (address.isBarePostmaster()) {
            // RFC 5321 4.1.1.3, in ASCII case only.
            assertEquals("POSTMASTER", address.localPart().chars().map(c -> c >= 'a' && c <= 'z' ? c - 32 : c)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
            return;
        }
        // RFC 5321 4.5.3.1.1 and 4.5.3.1.2.
        assertTrue(octets(address.localPart()) <= 64, "local part over 64 octets");
        assertTrue(octets(address.domain()) <= 255, "domain over 255 octets");
        assertTrue(address.domain().indexOf('@') < 0 && address.domain().indexOf('%') < 0
                && address.domain().indexOf('!') < 0, "routing characters in the domain " + address.domain());
        assertEquals(address.toString().chars().allMatch(c -> c < 0x80), address.isAscii());
        Domain domain = address.domainName();
        assertEquals(domain, Domain.of(domain.name()), "the domain's comparison form is not stable");
        assertEquals(address.domain().startsWith("["), domain.isAddressLiteral());
    }

    private static String withoutOneTrailingDot(String domain) {
        return domain.endsWith(".") && !domain.endsWith("..") ? domain.substring(0, domain.length() - 1) : domain;
    }

    private static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
