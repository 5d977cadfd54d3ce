/**
 * The SMTP server side without sockets: line and DATA decoding, command parsing, MAIL and
 * RCPT argument checks, reply encoding, the Received header, SASL PLAIN/LOGIN decoding and the
 * session state machine (STARTTLS and AUTH included). Depends on policy, config, mail, net,
 * dnsbl (the DnsblScore value only) and auth (the AuthResult value only).
 */
package org.mxgate.smtp;
