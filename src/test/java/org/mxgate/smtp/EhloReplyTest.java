package org.mxgate.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxgate.mail.Reply;

/** EhloReply: our name, then exactly the extensions implemented, STARTTLS and AUTH only when offered. */
class EhloReplyTest {

    private static final List<String> ALWAYS =
            List.of("mx.example.test", "PIPELINING", "SIZE 1000", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8");

    @Test
    void offersWhatIsImplemented() {
        assertEquals(new Reply(250, null, ALWAYS), EhloReply.of("mx.example.test", 1000, false, false));
    }

    @Test
    void startTlsAndAuthComeLastWhenOffered() {
        assertEquals("250-mx.example.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-8BITMIME\r\n"
                + "250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n",
                EhloReply.of("mx.example.test", 1000, true, true).wire());
        assertEquals("AUTH PLAIN LOGIN", EhloReply.of("mx.example.test", 1000, false, true).lines().get(6));
        assertEquals(List.of("STARTTLS"), EhloReply.of("mx.example.test", 1000, true, false).lines().subList(6, 7));
    }
}
