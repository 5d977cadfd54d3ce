/**
 * Backend pools: balancing, SMTP client sessions to backends (Netty codec-smtp), idle session
 * reuse, STARTTLS towards backends. Depends on config, mail, net, tls and log.
 */
package org.mxgate.backend;
