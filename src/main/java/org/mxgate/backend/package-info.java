/**
 * Backend pools: balancing, health probes with rise and fall counts, SMTP client sessions to
 * backends (Netty codec-smtp), idle session reuse, STARTTLS towards backends. Depends on config,
 * mail, net, tls and log.
 */
package org.mxgate.backend;
