package org.mxgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxgate.config.AccessConfig;
import org.mxgate.config.LimitsConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.config.UsersConfig;
import org.mxgate.dnsbl.DnsblScore;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.net.ClientAddress;
import org.mxgate.net.NetworkSet;

/**
 * What a login changes: relay where {@code relay.authenticated} says so and nowhere else,
 * {@code sender_login} keeps a user to the senders users.yml gives it, {@code require_tls}
 * refuses MAIL in plaintext, and a logged-in client skips the DNS lists.
 */
class PolicyAuthTest {

    private static final String HASH = "$2y$04$" + "a".repeat(53);
    private static final UsersConfig USERS = new UsersConfig(Path.of("users.yml"), Map.of(
            "alice@example.test", new UsersConfig.User("alice@example.test", HASH, List.of()),
            "bob", new UsersConfig.User("bob", HASH, List.of("bob@example.test", "@shop.example.test", "<>"))));

    private static Policy policy(boolean relayAuthenticated, boolean senderLogin, boolean requireTls) {
        return new Policy(new PolicyConfig("submission", Path.of("submission.yml"), List.of("example.test"),
                NetworkSet.EMPTY, Map.of("*", "mailbox"), LimitsConfig.DEFAULTS, false, AccessConfig.NONE,
                new PolicyConfig.Dnsbl(true, 1.0, false),
                new PolicyConfig.Auth(true, false, senderLogin, relayAuthenticated, USERS), requireTls));
    }

    private static ClientFacts client(String login, boolean tls) {
        return new ClientFacts(ClientAddress.direct(new InetSocketAddress("203.0.113.7", 40000)), "c.test",
                null, login, tls);
    }

    private static Reply rcpt(Policy policy, ClientFacts client, String recipient) {
        MailAddress sender = MailAddress.parsePath("<bob@example.test>").orElseThrow();
        return policy.checkRecipient(client, new Envelope(sender, -1, null, false),
                MailAddress.parsePath("<" + recipient + ">").orElseThrow()).reply();
    }

    @Test
    void aLoginRelaysOnlyWhereThePolicySaysSo() {
        assertEquals(Replies.RECIPIENT_OK, rcpt(policy(true, false, false), client("bob", true), "x@foreign.test"));
        assertEquals(Replies.RELAY_DENIED.withText("<x@foreign.test>: Relay access denied"),
                rcpt(policy(false, false, false), client("bob", true), "x@foreign.test"));
        // Never an open relay: without a login relay.authenticated opens nothing.
        assertEquals(Replies.RELAY_DENIED.withText("<x@foreign.test>: Relay access denied"),
                rcpt(policy(true, false, false), client(null, true), "x@foreign.test"));
    }

    @Test
    void aLoggedInClientSkipsTheDnsLists() {
        DnsblScore listed = new DnsblScore(List.of(new DnsblScore.Listing("bl.test", 2.0, "listed")), false, List.of());
        ClientFacts anonymous = new ClientFacts(ClientAddress.direct(new InetSocketAddress("203.0.113.7", 1)), "c", listed, null, true);
        ClientFacts loggedIn = new ClientFacts(ClientAddress.direct(new InetSocketAddress("203.0.113.7", 1)), "c", listed, "bob", true);
        assertEquals(554, rcpt(policy(false, false, false), anonymous, "user@example.test").code());
        assertEquals(Replies.RECIPIENT_OK, rcpt(policy(false, false, false), loggedIn, "user@example.test"));
    }

    static Stream<Arguments> senders() {
        return Stream.of(
                Arguments.of("bob", "<bob@example.test>", true),
                Arguments.of("BOB", "<Bob@Example.Test>", true),
                Arguments.of("bob", "<sales@shop.example.test>", true),
                Arguments.of("bob", "<>", true),
                Arguments.of("bob", "<alice@example.test>", false),
                Arguments.of("bob", "<bob@example.test.evil>", false),
                // No senders listed: the login itself, when it is an address.
                Arguments.of("alice@example.test", "<alice@example.test>", true),
                Arguments.of("alice@example.test", "<>", false),
                Arguments.of("alice@example.test", "<bob@example.test>", false),
                Arguments.of("carol", "<carol@example.test>", false));
    }

    @ParameterizedTest
    @MethodSource("senders")
    void senderLogin(String login, String sender, boolean allowed) {
        MailAddress address = MailAddress.parsePath(sender).orElseThrow();
        Reply reply = policy(false, true, false).checkSender(client(login, true), address).reply();
        assertEquals(allowed ? Replies.SENDER_OK : Replies.senderNotOwned(address, login), reply);
    }

    @Test
    void senderLoginLeavesClientsWithoutALoginAlone() {
        MailAddress address = MailAddress.parsePath("<bob@example.test>").orElseThrow();
        assertEquals(Replies.SENDER_OK, policy(false, true, false).checkSender(client(null, true), address).reply());
    }

    @Test
    void requireTlsRefusesMailInPlaintext() {
        MailAddress address = MailAddress.parsePath("<bob@example.test>").orElseThrow();
        assertEquals(Replies.TLS_REQUIRED, policy(false, false, true).checkSender(client(null, false), address).reply());
        assertEquals(Replies.SENDER_OK, policy(false, false, true).checkSender(client(null, true), address).reply());
    }
}
