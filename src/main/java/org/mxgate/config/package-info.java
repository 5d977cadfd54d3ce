/**
 * Reads conf/mxgate.yml and policies/*.yml into immutable records, reporting every mistake as
 * {@code file:line: reason}. Depends on net.
 */
package org.mxgate.config;
