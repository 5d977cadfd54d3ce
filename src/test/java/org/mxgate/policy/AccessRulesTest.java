package org.mxgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxgate.config.ConfigLoader;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.net.ClientAddress;

/**
 * Access rules as an admin writes them in a policy file, decided in the documented order
 * (clients, helo, senders, recipients; first match wins), with their codes and texts, and
 * never able to open a relay: "ok" only ends the access checks.
 */
class AccessRulesTest {

    @TempDir
    static Path dir;

    private static Policy policy;

    @BeforeAll
    static void load() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("conf/mxgate.yml"), """
                listeners: [ { name: internet, listen: 127.0.0.1:2525 } ]
                pools: { mailbox: { servers: [ { address: 127.0.0.1:25 } ] } }
                """);
        Files.writeString(dir.resolve("policies/internet.yml"), """
                accept_domains: [example.test]
                access:
                  clients:
                    192.0.2.99: ok
                    192.0.2.0/24: reject Your network sends spam
                    "2001:db8:bad::/48": tempfail
                  helo:
                    localhost: reject
                    "*.dynamic.test": reject Use your provider's relay
                  senders:
                    "<>": ok
                    spammer@bad.test: reject
                    "@grey.test": tempfail Come back later
                    bad.test: reject
                  recipients:
                    abuse@example.test: ok
                    "@closed.example.test": reject This mailbox is closed
                    noreply@example.test: reject
                """);
        policy = new Policy(ConfigLoader.load(dir.resolve("conf/mxgate.yml")).policies().get("internet"));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        // client       | helo             | sender                 | recipient                   | reply
        "203.0.113.7    | mx.client.test   | <a@client.test>        | <user@example.test>         | 250 2.1.5 Ok",
        "192.0.2.7      | mx.client.test   | <a@client.test>        | <user@example.test>         | 554 5.7.1 Your network sends spam",
        "192.0.2.99     | localhost        | <spammer@bad.test>     | <user@example.test>         | 250 2.1.5 Ok",
        "192.0.2.99     | mx.client.test   | <a@client.test>        | <user@elsewhere.test>       | 554 5.7.1 <user@elsewhere.test>: Relay access denied",
        "2001:db8:bad::1 | mx.client.test  | <a@client.test>        | <user@example.test>         | 450 4.7.1 Try again later",
        "203.0.113.7    | LOCALHOST        | <a@client.test>        | <user@example.test>         | 554 5.7.1 Helo command rejected",
        "203.0.113.7    | h1.dynamic.test  | <a@client.test>        | <user@example.test>         | 554 5.7.1 Use your provider's relay",
        "203.0.113.7    | mx.client.test   | <spammer@bad.test>     | <user@example.test>         | 554 5.7.1 <spammer@bad.test>: Sender address rejected",
        "203.0.113.7    | mx.client.test   | <other@mail.bad.test>  | <user@example.test>         | 554 5.7.1 <other@mail.bad.test>: Sender address rejected",
        "203.0.113.7    | mx.client.test   | <x@grey.test>          | <user@example.test>         | 450 4.7.1 Come back later",
        "203.0.113.7    | mx.client.test   | <x@sub.grey.test>      | <user@example.test>         | 250 2.1.5 Ok",
        "203.0.113.7    | mx.client.test   | <>                     | <noreply@example.test>      | 250 2.1.5 Ok",
        "203.0.113.7    | mx.client.test   | <a@client.test>        | <noreply@example.test>      | 554 5.7.1 <noreply@example.test>: Recipient address rejected",
        "203.0.113.7    | mx.client.test   | <a@client.test>        | <NoReply@Example.Test>      | 554 5.7.1 <NoReply@Example.Test>: Recipient address rejected",
        "203.0.113.7    | mx.client.test   | <a@client.test>        | <x@closed.example.test>     | 554 5.7.1 This mailbox is closed",
        "203.0.113.7    | mx.client.test   | <spammer@bad.test>     | <abuse@example.test>        | 554 5.7.1 <spammer@bad.test>: Sender address rejected",
    })
    void firstMatchingRuleDecides(String client, String helo, String sender, String recipient, String expected) {
        ClientFacts facts = new ClientFacts(ClientAddress.direct(new InetSocketAddress(client, 40000)), helo);
        Envelope transaction = new Envelope(MailAddress.parsePath(sender).orElseThrow(), -1, null, false);
        Verdict verdict = policy.checkRecipient(facts, transaction, MailAddress.parsePath(recipient).orElseThrow());
        org.mxgate.mail.Reply reply = verdict.reply();
        assertEquals(expected, reply.code() + " " + reply.status() + " " + reply.text(), verdict.rule());
    }
}
