package org.mxgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxgate.config.AccessConfig;
import org.mxgate.config.LimitsConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.dnsbl.DnsblScore;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.net.ClientAddress;
import org.mxgate.net.NetworkSet;

/** The DNS list decision at RCPT: listed, below the threshold, allow-listed, failed closed, postmaster. */
class DnsblPolicyTest {

    private static final Policy POLICY = new Policy(new PolicyConfig("internet", Path.of("internet.yml"),
            List.of("example.test"), NetworkSet.EMPTY, Map.of("*", "mailbox"), LimitsConfig.DEFAULTS, false,
            AccessConfig.NONE, new PolicyConfig.Dnsbl(true, 1.0, false)));

    private static final DnsblScore.Listing BL = new DnsblScore.Listing("bl.test", 1.0, "see https://bl.test");
    private static final DnsblScore.Listing HALF = new DnsblScore.Listing("half.test", 0.5, null);

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "listed       | <user@example.test>       | 554 5.7.1 Service unavailable; client [203.0.113.7] blocked using bl.test; see https://bl.test",
        "listed       | <postmaster@example.test> | 250 2.1.5 Ok",
        "listed       | <postmaster>              | 250 2.1.5 Ok",
        "listed       | <PostMaster@example.test> | 250 2.1.5 Ok",
        // The long s is no ASCII s: this is not our postmaster, and the listed client is refused.
        "listed       | <po\u017Ftmaster@example.test> | 554 5.7.1 Service unavailable; client [203.0.113.7] blocked using bl.test; see https://bl.test",
        "half         | <user@example.test>       | 250 2.1.5 Ok",
        "allowlisted  | <user@example.test>       | 250 2.1.5 Ok",
        "failedClosed | <user@example.test>       | 451 4.7.1 Service unavailable; DNS list lookup failed, try again later",
        "clean        | <user@example.test>       | 250 2.1.5 Ok",
    })
    void decision(String state, String recipient, String expected) {
        DnsblScore score = switch (state) {
            case "listed" -> new DnsblScore(List.of(BL), false, List.of());
            case "half" -> new DnsblScore(List.of(HALF), false, List.of());
            case "allowlisted" -> new DnsblScore(List.of(BL), true, List.of());
            case "failedClosed" -> new DnsblScore(List.of(), false, List.of("bl.test"));
            default -> DnsblScore.CLEAN;
        };
        ClientFacts facts = new ClientFacts(ClientAddress.direct(new InetSocketAddress("203.0.113.7", 40000)), "c.test", score);
        Verdict verdict = POLICY.checkRecipient(facts, new Envelope(MailAddress.NULL_SENDER, -1, null, false),
                MailAddress.parsePath(recipient).orElseThrow());
        assertEquals(expected, verdict.reply().toString(), verdict.rule());
    }
}
