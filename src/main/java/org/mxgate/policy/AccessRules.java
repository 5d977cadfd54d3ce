package org.mxgate.policy;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mxgate.config.AccessConfig;
import org.mxgate.config.AccessConfig.Rule;
import org.mxgate.mail.Domain;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Refusal;
import org.mxgate.mail.Replies;
import org.mxgate.mail.Reply;
import org.mxgate.net.Cidr;

/**
 * The {@code access:} tables of a policy, evaluated in a fixed order: clients, helo, senders,
 * recipients, each in file order; the first rule that matches decides. {@code ok} ends the
 * access checks (the relay decision still follows), {@code reject} is 554 5.7.1,
 * {@code tempfail} 450 4.7.1. Pure: no I/O.
 */
final class AccessRules {

    private final AccessConfig config;

    AccessRules(AccessConfig config) {
        this.config = config;
    }

    /** The deciding rule as a verdict, or empty when no rule matches. */
    Optional<Verdict> check(ClientFacts client, MailAddress sender, MailAddress recipient) {
        InetAddress ip = client.client().real().getAddress();
        for (Rule rule : config.clients()) {
            if (Cidr.parse(rule.key()).contains(ip)) {
                return Optional.of(verdict(rule, "access.clients " + rule.key(), "Client host rejected"));
            }
        }
        if (client.helo() != null) {
            Domain helo = Domain.of(client.helo());
            for (Rule rule : config.helo()) {
                if (helo.matches(rule.key())) {
                    return Optional.of(verdict(rule, "access.helo " + rule.key(), "Helo command rejected"));
                }
            }
        }
        Optional<Verdict> bySender = addressRule(config.senders(), sender, "access.senders ", "Sender address rejected");
        if (bySender.isPresent()) {
            return bySender;
        }
        return addressRule(config.recipients(), recipient, "access.recipients ", "Recipient address rejected");
    }

    private static Optional<Verdict> addressRule(List<Rule> rules, MailAddress address, String table, String refusal) {
        for (Rule rule : rules) {
            if (matches(rule.key(), address)) {
                return Optional.of(verdict(rule, table + rule.key(), "<" + address + ">: " + refusal));
            }
        }
        return Optional.empty();
    }

    /** {@code <>}, {@code user@domain}, {@code @domain} (that domain only) or {@code domain} (and its subdomains). */
    static boolean matches(String key, MailAddress address) {
        if (key.equals("<>")) {
            return address.isNullSender();
        }
        if (address.isNullSender()) {
            return false;
        }
        Domain domain = address.domainName();
        int at = key.lastIndexOf('@');
        if (at < 0) {
            return domain.matches(key) || domain.matches("*." + key);
        }
        boolean sameDomain = domain.matches(key.substring(at + 1));
        return at == 0 ? sameDomain : sameDomain && key.substring(0, at).equals(address.localPart().toLowerCase(Locale.ROOT));
    }

    private static Verdict verdict(Rule rule, String name, String standardText) {
        switch (rule.action()) {
            case OK:
                return Verdict.accept(Replies.RECIPIENT_OK, name + " ok", null);
            case TEMPFAIL:
                return Verdict.refuse(withText(Replies.ACCESS_TEMPFAIL, rule, Replies.ACCESS_TEMPFAIL.text()), name + " tempfail",
                        Refusal.OTHER);
            default:
                return Verdict.refuse(withText(Replies.ACCESS_DENIED, rule, standardText), name + " reject", Refusal.OTHER);
        }
    }

    private static Reply withText(Reply reply, Rule rule, String standardText) {
        return reply.withText(rule.text() != null ? rule.text() : standardText);
    }
}
