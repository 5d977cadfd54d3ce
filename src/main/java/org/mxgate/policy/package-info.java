/**
 * Pure policy decisions: each returns a Verdict (the reply and the rule that decided). No Netty,
 * DNS or clock. Depends on config, mail and net.
 */
package org.mxgate.policy;
