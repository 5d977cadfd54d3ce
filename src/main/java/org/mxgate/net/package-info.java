/** Network values: CIDR networks and sets of them, host:port pairs, the real client address. Depends on the JDK only. */
package org.mxgate.net;
