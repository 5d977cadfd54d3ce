package org.mxgate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The reason a backend failure is logged with names what happened, never "null". */
class BackendExceptionTest {

    @Test
    void aClosedChannelHasNoMessageButAReason() {
        assertEquals("connection closed", BackendException.reason(new ClosedChannelException()));
    }

    @Test
    void epollsSystemCallIsLeftOutOfTheReason() {
        assertEquals("Connection refused: /127.0.0.1:36001", BackendException.reason(
                new java.net.ConnectException("finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:36001")));
    }

    @Test
    void causesAreNamedOnceEach() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed: no trust anchor");
        handshake.initCause(new IllegalStateException("no trust anchor"));
        assertEquals("PKIX path building failed: no trust anchor", BackendException.reason(handshake));
        assertEquals("Received fatal alert: handshake_failure: connection closed",
                BackendException.reason(new SSLHandshakeException("Received fatal alert: handshake_failure") {
                    @Override
                    public synchronized Throwable getCause() {
                        return new ClosedChannelException();
                    }
                }));
    }

    @Test
    void withoutAnyMessageTheKindIsTheReason() {
        assertEquals("IllegalStateException", BackendException.reason(new IllegalStateException()));
    }
}
