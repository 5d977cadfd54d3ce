/**
 * The I/O shell: listening sockets, the pipeline of each client connection and the handler that
 * carries out the session's steps. Depends on smtp, policy, dnsbl, auth, tls, relay, config and log.
 */
package org.mxgate.listener;
