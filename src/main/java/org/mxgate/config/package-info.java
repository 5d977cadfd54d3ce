/**
 * Reads conf/mxgate.yml and policies/*.yml into immutable records, reporting every mistake as
 * {@code file:line: reason}. Depends on mail (the InstanceId value) and net.
 */
package org.mxgate.config;
