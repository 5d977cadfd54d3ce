package org.mxgate.auth;

/** What one login attempt came to; the session turns it into a reply. Never carries the password or why it failed. */
public enum AuthResult {
    /** The password matches the user's hash. */
    ACCEPTED,
    /** Wrong user or wrong password: the two are never told apart. */
    REJECTED,
    /** Too many recent failures from this client address or for this login: refused without checking the password. */
    BLOCKED,
    /** Every hash thread is busy and the queue is full: the client should try again later. */
    UNAVAILABLE
}
