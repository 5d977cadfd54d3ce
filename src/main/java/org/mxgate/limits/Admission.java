package org.mxgate.limits;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mxgate.mail.Reply;

/**
 * The answer to a new connection: admitted, holding slots that {@link #release} gives back when
 * the session ends (once, however often it is called), or refused with the reply to send
 * instead of the greeting.
 */
public final class Admission {

    private final Reply refusal;
    private final boolean firstRefusal;
    private final List<Runnable> slots;
    private final AtomicBoolean released = new AtomicBoolean();

    private Admission(Reply refusal, boolean firstRefusal, List<Runnable> slots) {
        this.refusal = refusal;
        this.firstRefusal = firstRefusal;
        this.slots = List.copyOf(slots);
    }

    static Admission admitted(List<Runnable> slots) {
        return new Admission(null, false, slots);
    }

    static Admission refused(Reply refusal, boolean firstRefusal) {
        return new Admission(refusal, firstRefusal, List.of());
    }

    public boolean isAdmitted() {
        return refusal == null;
    }

    /** The 421 to send instead of the greeting; null when admitted. */
    public Reply refusal() {
        return refusal;
    }

    /**
     * Whether this is the first refusal for the same reason and client within a minute: only
     * those are logged, so refused connections cannot fill the disk through the log.
     */
    public boolean isFirstRefusal() {
        return firstRefusal;
    }

    /** Gives back the slots of an admitted session; later calls do nothing. */
    public void release() {
        if (released.compareAndSet(false, true)) {
            slots.forEach(Runnable::run);
        }
    }
}
