/** The protocol log (one JSON line per SMTP event) and session ids. Depends on mail and net. */
package org.mxgate.log;
