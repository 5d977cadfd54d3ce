/**
 * The SMTP server side without sockets: line and DATA decoding, command parsing, MAIL and
 * RCPT argument checks, reply encoding, the Received header, SASL PLAIN/LOGIN decoding and the
 * session state machine (STARTTLS and AUTH included). Depends on policy, config, mail, net,
 * dnsbl (the DnsblScore value only), auth (the AuthResult value only) and limits (a listener's
 * message and recipient rates).
 */
package org.mxgate.smtp;
