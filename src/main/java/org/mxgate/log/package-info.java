/**
 * The protocol log (one JSON line per SMTP event), session ids, ApplicationLog (the instance id
 * in the application log), LogText, which escapes client text for the application log, and
 * NonBlockingAppender, through which every log line leaves an I/O thread without waiting.
 * Depends on mail and net.
 */
package org.mxgate.log;
