package org.mxgate.smtp;

import org.mxgate.mail.Reply;

/**
 * An input after its checks: what it gives (an envelope, a recipient, the next step of an AUTH
 * exchange), or the reply that refuses it, never both. Only the session turns a refusal into
 * an error reply, so only it counts them toward max_errors.
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
