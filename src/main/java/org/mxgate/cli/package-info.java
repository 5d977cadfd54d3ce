/** The command line: run, demo, check, explain, passwd. The only package that imports GreenMail (for the demo). */
package org.mxgate.cli;
