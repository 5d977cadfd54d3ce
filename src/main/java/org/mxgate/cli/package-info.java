/**
 * The command line: run, demo, check, explain, passwd, status, backend. May depend on every package. The only
 * package that uses GreenMail (for the demo).
 */
package org.mxgate.cli;
