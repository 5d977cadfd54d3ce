/**
 * Backend pools: balancing, health probes with rise and fall counts, SMTP client sessions to
 * backends (replies read by our own strict RFC 5321 4.2 decoder), idle session reuse, STARTTLS
 * towards backends. Depends on config, mail, net, tls and log.
 */
package org.mxgate.backend;
