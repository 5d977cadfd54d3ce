package org.mxgate.smtp;

import java.util.List;
import org.mxgate.mail.Reply;

/** What the session decided for one input: replies to write in order, and at most one effect (or null). */
public record Step(List<Reply> replies, Effect effect) {

    /** No reply and nothing to do. */
    static final Step NOTHING = new Step(List.of(), null);

    public Step {
        replies = List.copyOf(replies);
    }

    static Step reply(Reply reply) {
        return new Step(List.of(reply), null);
    }

    static Step effect(Effect effect) {
        return new Step(List.of(), effect);
    }
}
