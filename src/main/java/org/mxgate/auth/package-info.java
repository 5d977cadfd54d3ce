/**
 * Users file lookups, bcrypt on a small bounded executor, failure counters. Depends on config and
 * log (LogText only, to escape a login for the application log). SASL message decoding lives in
 * the smtp package, not here: the session state machine drives the exchange and hands a login and
 * password to {@link org.mxgate.auth.Authenticator}.
 */
package org.mxgate.auth;
