/** The command line: run, demo, check. The only package that imports GreenMail (for the demo). */
package org.mxgate.cli;
