package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mxgate.mail.Replies;

/** Checked holds a value or a refusal, never both and never neither. */
class CheckedTest {

    @Test
    void valueOrRefusal() {
        assertFalse(Checked.of("x").isRefused());
        assertTrue(Checked.refused(Replies.SYNTAX).isRefused());
        assertThrows(IllegalArgumentException.class, () -> new Checked<>("x", Replies.SYNTAX));
        assertThrows(IllegalArgumentException.class, () -> new Checked<>(null, null));
    }
}
