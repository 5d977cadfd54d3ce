package org.mxgate.smtp;

/** One command line: its verb and the text after the verb (empty when none). */
public record Command(Verb verb, String argument) {
}
