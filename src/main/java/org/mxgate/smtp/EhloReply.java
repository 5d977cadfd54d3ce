package org.mxgate.smtp;

import java.util.ArrayList;
import java.util.List;
import org.mxgate.mail.Reply;

/**
 * The 250 reply to EHLO (RFC 5321 4.1.1.1): our name, then each extension we implement, and
 * only those. Pure; whether STARTTLS and AUTH are offered is the session's decision.
 */
final class EhloReply {

    private EhloReply() {
    }

    static Reply of(String hostname, long maxMessageSize, boolean offerStartTls, boolean offerAuth) {
        // RFC 2034: no enhanced status code in the reply to EHLO.
        List<String> keywords = new ArrayList<>(List.of(hostname, "PIPELINING",
                "SIZE " + maxMessageSize, "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8"));
        if (offerStartTls) {
            keywords.add("STARTTLS");
        }
        if (offerAuth) {
            keywords.add("AUTH PLAIN LOGIN");
        }
        return new Reply(250, null, keywords);
    }
}
