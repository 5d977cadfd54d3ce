package org.mxgate.policy;

import org.mxgate.mail.Reply;

/**
 * A policy decision: the reply for the client, the rule that decided (for logs and explain) and,
 * for an accepted recipient, the backend pool its mail goes to.
 */
public record Verdict(Reply reply, String rule, String route) {

    public static Verdict accept(Reply reply, String rule, String route) {
        return new Verdict(reply, rule, route);
    }

    public static Verdict refuse(Reply reply, String rule) {
        return new Verdict(reply, rule, null);
    }

    public boolean isAccepted() {
        return reply.isPositive();
    }
}
