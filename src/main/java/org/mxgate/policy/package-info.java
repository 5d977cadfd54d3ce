/**
 * Pure policy decisions: each returns a Verdict (the reply and the rule that decided). No Netty,
 * DNS or clock. Depends on config, mail, net and dnsbl (the DnsblScore value only).
 */
package org.mxgate.policy;
