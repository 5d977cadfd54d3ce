package org.mxgate.smtp;

import org.mxgate.mail.Reply;

/**
 * A command argument after its checks: the value it gives, or the reply that refuses it, never
 * both. The session counts a refusal toward max_errors; the value goes on to the policy.
 */
record Checked<T>(T value, Reply refusal) {

    Checked {
        if ((value == null) == (refusal == null)) {
            throw new IllegalArgumentException("a value or a refusal, exactly one");
        }
    }

    static <T> Checked<T> of(T value) {
        return new Checked<>(value, null);
    }

    static <T> Checked<T> refused(Reply refusal) {
        return new Checked<>(null, refusal);
    }

    boolean isRefused() {
        return refusal != null;
    }
}
