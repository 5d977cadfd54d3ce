/**
 * The SMTP server side without sockets: line and DATA decoding, command parsing, reply
 * encoding, the Received header and the session state machine. Depends on policy, config,
 * mail and net.
 */
package org.mxgate.smtp;
