/**
 * The protocol log (one JSON line per SMTP event), session ids, and LogText, which escapes client
 * text for the application log. Depends on mail and net.
 */
package org.mxgate.log;
