package org.mxgate.smtp;

import io.netty.buffer.ByteBuf;
import org.mxgate.mail.MailAddress;
import org.mxgate.mail.Transaction;

/**
 * The one thing a {@link Step} asks its handler to do besides writing replies. Effects that
 * wait for a backend come back to the session through its {@code on...} methods.
 */
public sealed interface Effect {

    /**
     * Ask the transaction's backend about a recipient policy accepted (the transaction's route
     * names the pool); answer with {@code onRecipientReply}.
     */
    record RelayRecipient(Transaction transaction, MailAddress recipient) implements Effect {
    }

    /** Send DATA to the backend, with our Received header ready; answer with {@code onDataReply}. */
    record OpenData(String receivedHeader) implements Effect {
    }

    /** The 354 is out: the next client bytes are message content, at most this many. */
    record ReceiveBody(long maxSize) implements Effect {
    }

    /** Message bytes in wire form for the relay, which keeps and forwards them; the handler releases them. */
    record RelayBody(ByteBuf bytes) implements Effect {
    }

    /** The body can no longer be relayed: the backend's transaction is abandoned without a dot. */
    record AbandonBody() implements Effect {
    }

    /** The body is complete and clean: send the final dot; answer with {@code onDataOutcome}. */
    record FinishData() implements Effect {
    }

    /**
     * RFC 3207 4: after the 220, TLS starts; whatever the client sent after STARTTLS in
     * plaintext is thrown away (StartTlsInjectionIT). Answer with {@code onTlsEstablished}.
     */
    record StartTls() implements Effect {
    }

    /** Check a login off the event loop; answer with {@code onAuthResult}. The password array is the checker's to clear. */
    record Authenticate(String login, char[] password) implements Effect {
        @Override
        public String toString() {
            return "Authenticate[" + login + "]";
        }
    }

    /** Write the replies, then close the connection. */
    record Close() implements Effect {
    }
}
