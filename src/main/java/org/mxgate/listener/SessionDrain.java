package org.mxgate.listener;

/**
 * The user event that tells a session its gateway is stopping: it ends with 421 4.3.2 as soon
 * as no transaction is in progress, never in the middle of one.
 */
enum SessionDrain {
    INSTANCE
}
