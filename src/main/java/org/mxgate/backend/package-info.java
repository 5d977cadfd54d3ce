/**
 * Backend pools: balancing, SMTP client sessions to backends (Netty codec-smtp), idle session
 * reuse. Depends on config, mail, net, tls and log.
 */
package org.mxgate.backend;
