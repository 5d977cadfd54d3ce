package org.mxgate.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 5321 paths, parsed strictly: what they name, and what never parses at all. */
class MailAddressTest {

    @ParameterizedTest(name = "{0} -> {1} @ {2}")
    @CsvSource(delimiter = '|', value = {
        "<user@example.test>              | user          | example.test",
        "<User@Example.TEST>              | User          | Example.TEST",
        "<user@example.test.>             | user          | example.test",
        "<@relay.test:user@example.test>  | user          | example.test",
        "<@a.test,@b.test:user@c.test>    | user          | c.test",
        "<\"john doe\"@example.test>        | \"john doe\"    | example.test",
        "<user@[192.0.2.1]>               | user          | [192.0.2.1]",
        "<user@[IPv6:2001:db8::1]>        | user          | [IPv6:2001:db8::1]",
        "<用户@example.test>               | 用户            | example.test",
    })
    void validPathsNameTheirFinalMailbox(String path, String local, String domain) {
        MailAddress address = MailAddress.parsePath(path).orElseThrow();
        assertEquals(local, address.localPart());
        assertEquals(domain, address.domain());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<", "user@example.test", "<user>", "<@example.test>", "<user@>", "<@a.test:>",
        "<a.test:user@b.test>", "<@a.test,b.test:user@c.test>", "<user@@example.test>", "<user@exa mple.test>",
        "<user@example..test>", "<user@-example.test>", "<user@[not an ip]>", "<user@[999.1.1.1]>", "<user@[foo]>",
        "<user@[1.2.3]>", "<user@[IPv6:1.2.3.4]>", "<user@[IPv6:zz::1]>", "<user@[2001:db8::1]>"})
    void malformedPathsDoNotParse(String path) {
        assertTrue(MailAddress.parsePath(path).isEmpty(), path);
    }

    // Found by MailAddressFuzzTest: the JDK took an IPv6 "literal" that starts with a dot for a
    // host name and looked it up, on the event loop. Its input replays there under a check that
    // no parser makes a DNS lookup.
    @ParameterizedTest
    @ValueSource(strings = {"<b@[IPv6:.001:d::0]>", "<b@[IPv6:.:]>", "<b@[IPv6:..:1]>", "<b@[IPv6:.1:2]>"})
    void ipv6LiteralsStartingWithADotDoNotParse(String path) {
        assertTrue(MailAddress.parsePath(path).isEmpty(), path);
    }

    // Found by MailAddressFuzzTest: equalsIgnoreCase took the long s for an s, so this was the
    // bare postmaster that policy accepts from anyone (RFC 5321 4.1.1.3 means ASCII case).
    @Test
    void barePostmasterIsPostmasterInAsciiCaseOnly() {
        assertTrue(MailAddress.parsePath("<po\u017ftma\u017fter>").isEmpty());
        assertTrue(MailAddress.parsePath("<POSTMASTER>").orElseThrow().isBarePostmaster());
    }

    // Found by MailAddressFuzzTest: IDNA reads these as dots, or NFKC makes them ASCII
    // punctuation, so the domain policy compared was another than the one written ("x.", "d." or
    // the root).
    @ParameterizedTest
    @ValueSource(strings = {"<bob@\u3002>", "<bob@x\u3002>", "<bob@example\uff0etest>", "<bob@a\uff61b>",
        "<2@D\u2024>", "<bob@example\u2024test>", "<bob@\u2488test>", "<bob@a\uff0fb>"})
    void domainsWithDotsOtherThanTheFullStopDoNotParse(String path) {
        assertTrue(MailAddress.parsePath(path).isEmpty(), path);
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 300})
    void overlongLocalPartsDoNotParse(int length) {
        assertTrue(MailAddress.parsePath("<" + "a".repeat(length) + "@example.test>").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<>", "<postmaster>", "<Postmaster>"})
    void nullSenderAndBarePostmaster(String path) {
        MailAddress address = MailAddress.parsePath(path).orElseThrow();
        assertTrue(path.equals("<>") ? address.isNullSender() : address.isBarePostmaster());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<user%elsewhere.test@example.test>", "<elsewhere.test!user@example.test>",
        "<\"user@elsewhere.test\"@example.test>"})
    void senderSpecifiedRoutingIsNoticed(String path) {
        assertTrue(MailAddress.parsePath(path).orElseThrow().hasRoutingCharacters(), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<user@example.test>", "<first.last+tag@example.test>"})
    void ordinaryLocalPartsHaveNoRouting(String path) {
        assertFalse(MailAddress.parsePath(path).orElseThrow().hasRoutingCharacters(), path);
    }
}
