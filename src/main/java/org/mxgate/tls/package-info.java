/**
 * PEM loading, self-signed certificates (Bouncy Castle), SslContext for server and client: the
 * listeners' certificate, replaced without a restart, and the trust a pool puts in its backends.
 * Bouncy Castle is used through its own API only, never registered as a JCE provider. May depend
 * on: config.
 */
package org.mxgate.tls;
