package org.mxgate.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mxgate.config.ClientLimitsConfig;
import org.mxgate.config.LimitsConfig;
import org.mxgate.config.PolicyConfig;
import org.mxgate.config.UsersConfig;
import org.mxgate.dnsbl.DnsblScore;
import org.mxgate.mail.Domain;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Refusal;
import org.mxgate.mail.Replies;
import org.mxgate.net.Cidr;

/**
 * The decisions of one listener's policy file, as pure functions of their inputs: no I/O, no
 * clock, no DNS. {@link #checkRecipient} is the one place that decides whether mail may relay.
 */
public final class Policy {

    private final PolicyConfig config;
    private final AccessRules access;

    public Policy(PolicyConfig config) {
        this.config = config;
        this.access = new AccessRules(config.access());
    }

    public String name() {
        return config.name();
    }

    /** Whether the DNS lists decide before the greeting rather than at RCPT. */
    public boolean checksDnsblAtConnect() {
        return config.dnsbl().enabled() && config.dnsbl().enforceAtConnect();
    }

    /** The decision before the greeting: only the DNS lists, where the policy enforces them at connect. */
    public Optional<Verdict> checkClient(ClientFacts client) {
        if (!checksDnsblAtConnect()) {
            return Optional.empty();
        }
        return dnsbl(client, MailAddress.NULL_SENDER);
    }

    /** Whether this listener refuses clients on the DNS lists (so sessions look them up). */
    public boolean usesDnsbl() {
        return config.dnsbl().enabled();
    }

    /** Whether some clients may relay by address; a listener without any is a pure MX side. */
    public boolean hasRelayNetworks() {
        return !config.relayNetworks().networks().isEmpty();
    }

    public LimitsConfig limits() {
        return config.limits();
    }

    /** The connection, rate and junk command limits, which the limits package counts across sessions. */
    public ClientLimitsConfig clientLimits() {
        return config.clientLimits();
    }

    /** Whether AUTH is advertised and accepted: only over TLS, or in plaintext to loopback clients where the policy says so. */
    public boolean offersAuth(ClientFacts client) {
        PolicyConfig.Auth auth = config.auth();
        return auth.enabled() && (client.tls() || auth.plaintextOnLoopback() && client.client().real().getAddress().isLoopbackAddress());
    }

    /** Whether the listener's policy has AUTH at all (so AUTH before TLS gets 530 rather than 503). */
    public boolean hasAuth() {
        return config.auth().enabled();
    }

    public UsersConfig users() {
        return config.auth().users();
    }

    public Verdict checkSender(ClientFacts client, MailAddress sender) {
        // RFC 3207 4: with require_tls, no mail before STARTTLS.
        if (config.requireTls() && !client.tls()) {
            return Verdict.refuse(Replies.TLS_REQUIRED, "require_tls: the session is not encrypted", Refusal.AUTH);
        }
        if (config.auth().senderLogin() && client.isAuthenticated() && !owns(client.login(), sender)) {
            return Verdict.refuse(Replies.senderNotOwned(sender, client.login()), "auth.sender_login: " + sender
                    + " is not among the senders of " + client.login() + " in users.yml", Refusal.AUTH);
        }
        return Verdict.accept(Replies.SENDER_OK, "sender accepted", null);
    }

    /** A user's senders from users.yml: addresses, whole domains (@domain) or <>; none listed means the login itself. */
    private boolean owns(String login, MailAddress sender) {
        List<String> senders = users().find(login).map(UsersConfig.User::senders).orElse(List.of());
        if (senders.isEmpty()) {
            return !sender.isNullSender() && sender.toString().equalsIgnoreCase(login);
        }
        if (sender.isNullSender()) {
            return senders.contains("<>");
        }
        String address = sender.toString().toLowerCase(Locale.ROOT);
        for (String allowed : senders) {
            if (allowed.startsWith("@") ? sender.domainName().matches(allowed.substring(1)) : allowed.equals(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Never an open relay (RelayBatteryIT, PolicyTest): a recipient is accepted only when its
     * domain is one of ours, or when the real client address is in this listener's relay networks.
     */
    public Verdict checkRecipient(ClientFacts client, Envelope transaction, MailAddress recipient) {
        return decide(client, transaction, recipient, null);
    }

    /** The same decision as {@link #checkRecipient}, with each step it took, for {@code mxgate explain}. */
    public Explanation explainRecipient(ClientFacts client, Envelope transaction, MailAddress recipient) {
        List<String> steps = new ArrayList<>();
        Verdict verdict = decide(client, transaction, recipient, steps);
        return new Explanation(verdict, steps);
    }

    /** A verdict and the steps that led to it, in order. */
    public record Explanation(Verdict verdict, List<String> steps) {
    }

    private Verdict decide(ClientFacts client, Envelope transaction, MailAddress recipient, List<String> trace) {
        // RFC 5321 4.5.3.1.8: past the recipient limit the reply is 452, so the client retries the rest.
        int limit = config.limits().maxRecipients();
        if (transaction.recipients().size() >= limit) {
            return Verdict.refuse(Replies.TOO_MANY_RECIPIENTS, "limits.max_recipients " + limit, Refusal.LIMITS);
        }
        note(trace, "limits.max_recipients: " + transaction.recipients().size() + " accepted so far, limit " + limit);
        // Access rules first (docs/configuration.md, "How a recipient is decided"); "ok" only ends them.
        Optional<Verdict> byAccess = access.check(client, transaction.sender(), recipient);
        if (byAccess.isPresent() && !byAccess.get().isAccepted()) {
            return byAccess.get();
        }
        note(trace, byAccess.map(v -> v.rule() + ": the remaining access rules are skipped")
                .orElse("access: no rule matches"));
        // A logged-in user is known: its home address may well be on a dynamic-IP list.
        if (client.isAuthenticated()) {
            if (config.auth().relayAuthenticated()) {
                return routed(transaction, recipient, "relay.authenticated: logged in as " + client.login(), trace);
            }
            note(trace, "auth: logged in as " + client.login() + " (DNS lists skipped); relay.authenticated is off");
        } else {
            note(trace, config.auth().enabled() ? "auth: not logged in" : "auth: off for this listener");
        }
        // DNS lists, on the real address; mail to our postmaster still passes (RFC 5321 4.5.1).
        Optional<Verdict> byDnsbl = client.isAuthenticated() ? Optional.empty() : dnsbl(client, recipient);
        if (byDnsbl.isPresent()) {
            return byDnsbl.get();
        }
        note(trace, !config.dnsbl().enabled() ? "dnsbl: off for this listener"
                : client.isAuthenticated() ? "dnsbl: skipped for a logged-in user" : "dnsbl: " + describe(client.dnsbl()));
        return relayOrLocal(client, transaction, recipient, trace);
    }

    /** Never an open relay (RelayBatteryIT): our postmaster, a relay network, or one of our domains; nothing else. */
    private Verdict relayOrLocal(ClientFacts client, Envelope transaction, MailAddress recipient, List<String> trace) {
        // RFC 5321 4.1.1.3: the bare "postmaster" is always accepted; it goes to our own domain's pool (routingDomain).
        if (recipient.isBarePostmaster()) {
            return routed(transaction, recipient, "postmaster", trace);
        }
        InetAddress ip = client.client().real().getAddress();
        for (Cidr network : config.relayNetworks().networks()) {
            if (network.contains(ip)) {
                return routed(transaction, recipient, "relay.networks " + network, trace);
            }
        }
        note(trace, "relay.networks: " + ip.getHostAddress() + " is in none of " + config.relayNetworks().networks());
        // Sender-specified routing (user%foreign@ours, a!b@ours, "a@foreign"@ours) from a client
        // that may not relay is refused, so no next hop can be talked into forwarding it.
        if (recipient.hasRoutingCharacters()) {
            return Verdict.refuse(Replies.relayDenied(recipient), "sender-specified routing (% or ! or a quoted @ in the local part)",
                    Refusal.RELAY_DENIED);
        }
        Domain domain = recipient.domainName();
        for (String pattern : config.acceptDomains()) {
            if (domain.matches(pattern)) {
                return routed(transaction, recipient, "accept_domains " + pattern, trace);
            }
        }
        return Verdict.refuse(Replies.relayDenied(recipient), "relay denied: " + domain + " matches none of accept_domains "
                + config.acceptDomains(), Refusal.RELAY_DENIED);
    }

    private Optional<Verdict> dnsbl(ClientFacts client, MailAddress recipient) {
        DnsblScore score = client.dnsbl();
        if (!config.dnsbl().enabled() || score == null || isOurPostmaster(recipient)) {
            return Optional.empty();
        }
        if (!score.failedZones().isEmpty()) {
            return Optional.of(Verdict.refuse(Replies.DNSBL_TEMPFAIL, "dnsbl: lookup failed in " + score.failedZones()
                    + ", which fail closed", Refusal.DNSBL));
        }
        if (score.isBlocked(config.dnsbl().threshold())) {
            DnsblScore.Listing first = score.listings().get(0);
            return Optional.of(Verdict.refuse(Replies.dnsblBlocked(client.client().ip(), first.zone(), first.text()),
                    "dnsbl: " + describe(score) + ", threshold " + config.dnsbl().threshold(), Refusal.DNSBL));
        }
        return Optional.empty();
    }

    private static String describe(DnsblScore score) {
        if (score == null) {
            return "not asked";
        }
        return "score " + score.score() + " from " + score.listings().stream().map(DnsblScore.Listing::zone).toList()
                + (score.allowlisted() ? ", allow-listed" : "");
    }

    private boolean isOurPostmaster(MailAddress recipient) {
        if (recipient.isBarePostmaster()) {
            return true;
        }
        return MailAddress.isPostmaster(recipient.localPart())
                && config.acceptDomains().stream().anyMatch(recipient.domainName()::matches);
    }

    /**
     * An accepted recipient goes to its route's pool; one for another pool than the transaction's
     * waits for the next transaction (RFC 5321 3.3 lets the client retry it), so each message
     * lands in exactly one pool.
     */
    private Verdict routed(Envelope transaction, MailAddress recipient, String rule, List<String> trace) {
        String route = routeOf(recipient);
        note(trace, rule + ": accepted by policy");
        String as = recipient.isBarePostmaster() ? " (as mail for " + routedAs(routingDomain(recipient)) + ")" : "";
        String destination = recipient.isBarePostmaster() ? "postmaster" + as : recipient.domainName().toString();
        if (transaction.route() != null && !transaction.route().equals(route)) {
            return Verdict.refuse(Replies.OTHER_ROUTE, "routes: " + destination + " goes to pool " + route
                    + ", this transaction to " + transaction.route(), Refusal.OTHER);
        }
        return Verdict.accept(Replies.RECIPIENT_OK, rule + ", routes to " + route + as, route);
    }

    private static void note(List<String> trace, String step) {
        if (trace != null) {
            trace.add(step);
        }
    }

    /** The first {@code routes} pattern matching the recipient's domain, in file order; {@code *} last. */
    public String routeOf(MailAddress recipient) {
        Domain domain = routingDomain(recipient);
        for (Map.Entry<String, String> route : config.routes().entrySet()) {
            if (domain != null && !route.getKey().equals(PolicyConfig.DEFAULT_ROUTE) && domain.matches(route.getKey())) {
                return route.getValue();
            }
        }
        return config.routes().get(PolicyConfig.DEFAULT_ROUTE);
    }

    /**
     * The domain a recipient is routed by. RFC 5321 4.5.1: the bare {@code postmaster} is our own
     * postmaster, so it goes where mail for our own domain goes, the first exact name in
     * accept_domains, never out by {@code *} to a foreign pool; null (route {@code *}) for a
     * listener that accepts no domain of its own.
     */
    private Domain routingDomain(MailAddress recipient) {
        if (!recipient.isBarePostmaster()) {
            return recipient.domainName();
        }
        return config.acceptDomains().stream().filter(d -> !d.startsWith("*.")).findFirst().map(Domain::of).orElse(null);
    }

    private static String routedAs(Domain domain) {
        return domain == null ? "* (no exact domain in accept_domains)" : domain.toString();
    }
}
