package org.mxgate.mail;

/**
 * Our id for one transaction, shown in the 250 reply, the Received header and the protocol log
 * so an admin can follow a message. Made by the instance's {@link QueueIdFactory}: time-ordered,
 * and ending in the instance id, so ids of several instances never collide.
 */
public record QueueId(String value) {

    @Override
    public String toString() {
        return value;
    }
}
