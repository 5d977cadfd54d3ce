package org.mxgate.policy;

import org.mxgate.mail.Refusal;
import org.mxgate.mail.Reply;

/**
 * A policy decision: the reply for the client, the rule that decided (for logs and explain),
 * for an accepted recipient the backend pool its mail goes to, and for a refusal its reason
 * (for the metrics; null when accepted).
 */
public record Verdict(Reply reply, String rule, String route, Refusal refusal) {

    public static Verdict accept(Reply reply, String rule, String route) {
        return new Verdict(reply, rule, route, null);
    }

    public static Verdict refuse(Reply reply, String rule, Refusal refusal) {
        return new Verdict(reply, rule, null, refusal);
    }

    public boolean isAccepted() {
        return reply.isPositive();
    }
}
