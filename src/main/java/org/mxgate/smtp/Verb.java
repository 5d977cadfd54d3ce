package org.mxgate.smtp;

/** The SMTP verbs the front end knows; anything else is {@link #UNKNOWN}. */
public enum Verb {
    HELO, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, VRFY, EXPN, HELP, STARTTLS, AUTH, BDAT, UNKNOWN;

    public static Verb of(String word) {
        try {
            Verb verb = valueOf(CommandParser.asciiUpperCase(word));
            return verb == UNKNOWN ? UNKNOWN : verb;
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
