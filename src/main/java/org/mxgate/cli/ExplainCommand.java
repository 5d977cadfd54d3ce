package org.mxgate.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mxgate.config.ConfigError;
import org.mxgate.config.ConfigException;
import org.mxgate.config.ConfigLoader;
import org.mxgate.config.GatewayConfig;
import org.mxgate.config.ListenerConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.net.Cidr;
import org.mxgate.net.ClientAddress;
import org.mxgate.policy.ClientFacts;
import org.mxgate.policy.Policy;
import org.mxgate.policy.RelaySelfTest;
import org.mxgate.policy.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mxgate explain}: what a listener's policy does with one client, sender and recipients,
 * step by step, with the exact reply a session would give. It runs the same {@link Policy} a
 * session runs, so the two cannot disagree; the backend's own verdict on an accepted recipient
 * is the one thing it cannot know, and it says so. Reads only the configuration; sends nothing.
 */
@Command(name = "explain", description = "Show which policy rule decides for a client, sender and recipients.")
final class ExplainCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--listener", required = true, description = "listener name")
    String listener;

    @Option(names = "--client", required = true, description = "the client's real IP address")
    String client;

    @Option(names = "--helo", defaultValue = "client.invalid", description = "HELO/EHLO name (default: ${DEFAULT-VALUE})")
    String helo;

    @Option(names = "--from", required = true, description = "sender address; <> for the null sender")
    String from;

    @Option(names = "--to", required = true, description = "recipient address; repeat for several")
    List<String> to;

    @Option(names = "--auth", description = "the login the client authenticated as (default: none)")
    String login;

    @Option(names = "--tls", negatable = true,
            description = "whether the session is encrypted (default: yes on listeners with tls, no elsewhere)")
    Boolean tls;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        GatewayConfig loaded;
        try {
            loaded = ConfigLoader.load(config.file, RelaySelfTest::run);
        } catch (ConfigException e) {
            e.errors().forEach(System.err::println);
            return 1;
        }
        Optional<ListenerConfig> found = loaded.listeners().stream().filter(l -> l.name().equals(listener)).findFirst();
        if (found.isEmpty()) {
            System.err.println("no listener '" + listener + "'; the configuration has "
                    + loaded.listeners().stream().map(ListenerConfig::name).toList());
            return 1;
        }
        InetAddress ip;
        try {
            Cidr.parse(client);
            ip = InetAddress.getByName(client);
        } catch (IllegalArgumentException | UnknownHostException e) {
            System.err.println("--client must be an IP address: " + client);
            return 1;
        }
        PolicyConfig policyConfig = loaded.policyOf(found.get());
        Policy policy = new Policy(policyConfig);
        boolean encrypted = tls != null ? tls : found.get().tls() != ListenerConfig.Tls.NONE;
        ClientFacts facts = new ClientFacts(ClientAddress.direct(new InetSocketAddress(ip, 0)), helo, null, login, encrypted);
        describeClient(out, policy, facts, ip);
        Optional<Envelope> transaction = explainSender(out, policy, facts);
        if (transaction.isEmpty()) {
            return 0;
        }
        explainRecipients(out, policy, facts, transaction.get());
        List<ConfigError> selfTest = RelaySelfTest.run(policyConfig);
        out.printf("%nrelay self-test: %s%n", policyConfig.allowWideRelayNetworks()
                ? "skipped (allow_wide_relay_networks)"
                : selfTest.isEmpty() ? "passed (outside clients " + RelaySelfTest.OUTSIDE_CLIENTS + " cannot relay)" : "FAILED " + selfTest);
        return 0;
    }

    private void describeClient(PrintStream out, Policy policy, ClientFacts facts, InetAddress ip) {
        out.printf("listener %s, policy %s, client %s, helo %s, %s%s%n", listener, policy.name(), ip.getHostAddress(), helo,
                facts.tls() ? "TLS" : "plaintext", login == null ? "" : ", logged in as " + login);
        if (login != null && !policy.offersAuth(facts)) {
            out.println("  (this listener would not have let the client log in: "
                    + (policy.hasAuth() ? "AUTH is offered only over TLS" : "auth is off in its policy") + ")");
        } else if (login != null && policy.users().find(login).isEmpty()) {
            out.println("  (no user " + login + " in " + policy.users().file() + ")");
        }
    }

    /** MAIL FROM as a session answers it; the transaction it opens, or none. */
    private Optional<Envelope> explainSender(PrintStream out, Policy policy, ClientFacts facts) {
        Optional<MailAddress> sender = MailAddress.parsePath(bracketed(from));
        out.printf("%nMAIL FROM:%s%n", bracketed(from));
        if (sender.isEmpty() || sender.get().isBarePostmaster()) {
            reply(out, Replies.BAD_SENDER);
            return Optional.empty();
        }
        Verdict senderVerdict = policy.checkSender(facts, sender.get());
        if (!senderVerdict.isAccepted()) {
            out.println("  decided by: " + senderVerdict.rule());
            reply(out, senderVerdict.reply());
            out.println("  a session takes no RCPT without an accepted MAIL");
            return Optional.empty();
        }
        reply(out, senderVerdict.reply());
        boolean utf8 = !sender.get().isAscii() || to.stream().anyMatch(t -> !t.chars().allMatch(c -> c < 0x80));
        if (utf8) {
            out.println("  (non-ASCII addresses: explained as sent with SMTPUTF8)");
        }
        return Optional.of(new Envelope(sender.get(), -1, null, utf8));
    }

    /** Each RCPT TO through the same Policy a session asks, step by step. */
    private void explainRecipients(PrintStream out, Policy policy, ClientFacts facts, Envelope transaction) {
        for (String rcpt : to) {
            out.printf("%nRCPT TO:%s%n", bracketed(rcpt));
            Optional<MailAddress> recipient = MailAddress.parsePath(bracketed(rcpt));
            if (recipient.isEmpty() || recipient.get().isNullSender()) {
                reply(out, Replies.BAD_RECIPIENT);
                continue;
            }
            Policy.Explanation explained = policy.explainRecipient(facts, transaction, recipient.get());
            explained.steps().forEach(step -> out.println("  " + step));
            Verdict verdict = explained.verdict();
            out.println("  decided by: " + verdict.rule());
            reply(out, verdict.reply());
            if (verdict.isAccepted()) {
                out.printf("  a session relays it to pool %s; the backend's reply to RCPT is then the client's reply%n",
                        verdict.route());
                if (transaction.route() == null) {
                    transaction = transaction.withRoute(verdict.route());
                }
                transaction = transaction.withRecipient(recipient.get());
            }
        }
    }

    private static void reply(PrintStream out, Reply reply) {
        out.println("  => " + reply);
    }

    /** The admin may leave out the angle brackets. */
    private static String bracketed(String address) {
        String a = address.strip();
        return a.startsWith("<") ? a : "<" + a + ">";
    }
}
