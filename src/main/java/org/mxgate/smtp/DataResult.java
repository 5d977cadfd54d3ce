package org.mxgate.smtp;

/** What the end of DATA knows about the message: its size and why it cannot be relayed, if so. */
public record DataResult(long size, Refusal refusal) {

    public enum Refusal { BARE_LINE_ENDING, NUL, TOO_BIG }

    public boolean isClean() {
        return refusal == null;
    }
}
