package org.mxgate.listener;

import org.mxgate.log.SessionIdFactory;
import org.mxgate.mail.InstanceId;
import org.mxgate.mail.QueueIdFactory;

/**
 * This gateway instance's id and the factories of the queue and session ids that end in it. One
 * per gateway, made at start and shared by all its listeners, so its ids are unique within the
 * instance; the id at their end keeps them apart from other instances' (InstanceIdsIT).
 */
public record InstanceIds(InstanceId instance, QueueIdFactory queueIds, SessionIdFactory sessionIds) {

    public static InstanceIds of(InstanceId instance) {
        return new InstanceIds(instance, new QueueIdFactory(instance), new SessionIdFactory(instance));
    }
}
