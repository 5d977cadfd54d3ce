/**
 * The I/O shell: listening sockets, the pipeline of each client connection and the handler that
 * carries out the session's steps. Depends on smtp, policy, dnsbl, auth, tls, relay, backend,
 * config, mail, net, log, limits and metrics.
 */
package org.mxgate.listener;
