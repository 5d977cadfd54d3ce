/**
 * Limits on clients, counted on their real addresses and logins: concurrent sessions and
 * connection, message and recipient rates over sliding windows, behind the one {@code Counters}
 * interface (in process now, shared between instances later). Depends on config, mail, net and
 * metrics (each refusal is counted by its limit).
 */
package org.mxgate.limits;
