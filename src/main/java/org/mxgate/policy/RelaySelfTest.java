package org.mxgate.policy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.mxgate.config.ConfigError;
import org.mxgate.config.PolicyConfig;
import org.mxgate.mail.Envelope;
import org.mxgate.mail.MailAddress;
import org.mxgate.net.ClientAddress;

/**
 * Never an open relay, checked rather than trusted: plays outside clients (the documentation
 * addresses of RFC 5737 and RFC 3849) through a policy against a foreign recipient, at start,
 * on every reload and in {@code mxgate check}. A policy that would relay for one of them is
 * refused. Pure; skipped only where the policy says {@code allow_wide_relay_networks: true}.
 */
public final class RelaySelfTest {

    public static final List<String> OUTSIDE_CLIENTS = List.of("192.0.2.1", "198.51.100.1", "203.0.113.1", "2001:db8::1");
    public static final MailAddress FOREIGN_RECIPIENT = new MailAddress("relay-test", "relay-test.invalid");

    private RelaySelfTest() {
    }

    /** One error per outside client the policy would relay for; empty when it relays for none. */
    public static List<ConfigError> run(PolicyConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        if (config.allowWideRelayNetworks()) {
            return errors;
        }
        Policy policy = new Policy(config);
        Envelope transaction = new Envelope(MailAddress.NULL_SENDER, -1, null, false);
        for (String ip : OUTSIDE_CLIENTS) {
            ClientFacts outsider = new ClientFacts(ClientAddress.direct(new InetSocketAddress(ip, 25)), "outside.test");
            Verdict verdict = policy.checkRecipient(outsider, transaction, FOREIGN_RECIPIENT);
            if (verdict.isAccepted()) {
                errors.add(new ConfigError(config.file(), 1, "relay self-test: an outside client " + ip
                        + " could relay to <" + FOREIGN_RECIPIENT + "> (" + verdict.rule() + ")"));
            }
        }
        return errors;
    }
}
