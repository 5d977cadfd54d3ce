/**
 * DNS block and allow lists on the real client address: query names, which answers count, and
 * the score. Depends on config and net.
 */
package org.mxgate.dnsbl;
