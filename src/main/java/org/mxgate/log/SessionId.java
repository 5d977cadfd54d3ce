package org.mxgate.log;

import org.mxgate.mail.InstanceId;

/**
 * A short id naming one client session in every log line about it: 8 base-36 characters unique
 * within the instance that made it ({@link SessionIdFactory}), then that instance's id.
 *
 * @param instance the instance whose id ends {@code value}
 */
public record SessionId(String value, InstanceId instance) {

    @Override
    public String toString() {
        return value;
    }
}
