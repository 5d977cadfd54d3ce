package org.mxgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxgate.config.LimitsConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.net.ClientAddress;
import org.mxgate.net.NetworkSet;

/**
 * Never an open relay, as a table: client address, recipient, and the reply the one relay
 * decision gives. Relay networks 10.0.0.0/8 and 2001:db8::/32; accepted domains example.test
 * and *.sub.example.test; at most 3 recipients.
 */
class PolicyTest {

    private static final Policy POLICY = new Policy(new PolicyConfig("test", Path.of("test.yml"),
            List.of("example.test", "*.sub.example.test"), NetworkSet.parse(List.of("10.0.0.0/8", "2001:db8::/32")),
            java.util.Map.of("*", "mailbox"), new LimitsConfig(1_000_000, 3, 10, java.time.Duration.ofMinutes(5)), false, org.mxgate.config.AccessConfig.NONE));

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        // client        | recipient                              | reply code and enhanced code
        "203.0.113.7     | <user@example.test>                    | 250 2.1.5",
        "203.0.113.7     | <USER@EXAMPLE.TEST.>                   | 250 2.1.5",
        "203.0.113.7     | <user@a.sub.example.test>              | 250 2.1.5",
        "203.0.113.7     | <user@sub.example.test>                | 554 5.7.1",
        "203.0.113.7     | <user@elsewhere.test>                  | 554 5.7.1",
        "203.0.113.7     | <user@example.test.elsewhere.test>     | 554 5.7.1",
        "203.0.113.7     | <user@notexample.test>                 | 554 5.7.1",
        "203.0.113.7     | <user%elsewhere.test@example.test>     | 554 5.7.1",
        "203.0.113.7     | <elsewhere.test!user@example.test>     | 554 5.7.1",
        "203.0.113.7     | <\"user@elsewhere.test\"@example.test> | 554 5.7.1",
        "203.0.113.7     | <user@[10.0.0.1]>                      | 554 5.7.1",
        "203.0.113.7     | <@example.test:user@elsewhere.test>    | 554 5.7.1",
        "203.0.113.7     | <postmaster>                           | 250 2.1.5",
        "10.1.2.3        | <user@elsewhere.test>                  | 250 2.1.5",
        "2001:db8::25    | <user@elsewhere.test>                  | 250 2.1.5",
        "2001:db9::25    | <user@elsewhere.test>                  | 554 5.7.1",
        "11.0.0.1        | <user@elsewhere.test>                  | 554 5.7.1",
    })
    void recipientDecision(String client, String recipient, String expected) {
        Verdict verdict = POLICY.checkRecipient(facts(client), envelope(0), MailAddress.parsePath(recipient).orElseThrow());
        assertEquals(expected, verdict.reply().code() + " " + verdict.reply().status(), verdict.rule());
    }

    @ParameterizedTest
    @CsvSource({"0, 250", "2, 250", "3, 452", "5, 452"})
    void recipientsOverTheLimitGet452(int already, int code) {
        Verdict verdict = POLICY.checkRecipient(facts("10.0.0.1"), envelope(already),
                MailAddress.parsePath("<user@example.test>").orElseThrow());
        assertEquals(code, verdict.reply().code());
    }

    private static Policy routed(List<String> acceptDomains) {
        java.util.Map<String, String> routes = new java.util.LinkedHashMap<>();
        routes.put("example.test", "mailbox");
        routes.put("*", "outbound");
        return new Policy(new PolicyConfig("routed", Path.of("routed.yml"), acceptDomains,
                NetworkSet.parse(List.of("10.0.0.0/8")), routes, LimitsConfig.DEFAULTS, false,
                org.mxgate.config.AccessConfig.NONE));
    }

    // RFC 5321 4.5.1: the bare postmaster is ours; it must not leave by "*" through the outbound pool.
    @ParameterizedTest(name = "accept_domains {0}: <postmaster> -> {1}")
    @CsvSource(delimiter = '|', value = {
        "example.test                   | mailbox",
        "*.example.test, example.test   | mailbox",
        "other.test, example.test       | outbound",
        "*.example.test                 | outbound",
        "''                             | outbound",
    })
    void barePostmasterGoesWhereTheFirstAcceptedDomainGoes(String domains, String pool) {
        List<String> acceptDomains = domains.isEmpty() ? List.of() : List.of(domains.split(",\\s*"));
        Policy policy = routed(acceptDomains);
        MailAddress postmaster = MailAddress.parsePath("<postmaster>").orElseThrow();
        assertEquals(pool, policy.routeOf(postmaster));
        Verdict verdict = policy.checkRecipient(facts("203.0.113.7"), envelope(0), postmaster);
        assertEquals(250, verdict.reply().code(), verdict.rule());
        assertEquals(pool, verdict.route(), verdict.rule());
    }

    @org.junit.jupiter.api.Test
    void barePostmasterInATransactionBoundForTheOutboundPoolWaitsForTheNext() {
        Policy policy = routed(List.of("example.test"));
        Envelope outbound = new Envelope(MailAddress.parsePath("<a@client.test>").orElseThrow(), -1, null, false,
                List.of(MailAddress.parsePath("<user@elsewhere.test>").orElseThrow()), "outbound");
        Verdict verdict = policy.checkRecipient(facts("10.1.2.3"), outbound, MailAddress.parsePath("<postmaster>").orElseThrow());
        assertEquals("452 4.5.3", verdict.reply().code() + " " + verdict.reply().status(), verdict.rule());
    }

    private static final Policy IDN_POLICY = new Policy(new PolicyConfig("idn", Path.of("idn.yml"),
            List.of("bücher.test", "*.xn--mnchen-3ya.test"), NetworkSet.EMPTY, java.util.Map.of("*", "mailbox"),
            LimitsConfig.DEFAULTS, false, org.mxgate.config.AccessConfig.NONE));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "<user@bücher.test>              | 250",
        "<user@BÜCHER.test>              | 250",
        "<user@xn--bcher-kva.test>       | 250",
        "<user@XN--BCHER-KVA.TEST.>      | 250",
        "<user@mail.münchen.test>        | 250",
        "<user@mail.xn--mnchen-3ya.test> | 250",
        "<user@münchen.test>             | 554",
        "<user@bucher.test>              | 554",
    })
    void internationalisedDomainsCompareAsALabels(String recipient, int code) {
        Verdict verdict = IDN_POLICY.checkRecipient(facts("203.0.113.7"), envelope(0),
                MailAddress.parsePath(recipient).orElseThrow());
        assertEquals(code, verdict.reply().code(), verdict.rule());
    }

    private static ClientFacts facts(String ip) {
        return new ClientFacts(ClientAddress.direct(new InetSocketAddress(ip, 40000)), "client.test");
    }

    private static Envelope envelope(int recipients) {
        List<MailAddress> list = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            list.add(MailAddress.parsePath("<r" + i + "@example.test>").orElseThrow());
        }
        return new Envelope(MailAddress.parsePath("<a@client.test>").orElseThrow(), -1, null, false, list, null);
    }
}
