/**
 * DNS block and allow lists on the real client address: query names, which answers count, and
 * the score. Depends on config, net and metrics (lookups, cache hits, listings and failures).
 */
package org.mxgate.dnsbl;
