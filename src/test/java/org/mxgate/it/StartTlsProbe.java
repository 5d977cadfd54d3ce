package org.mxgate.it;

import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;

/**
 * A STARTTLS client in its own JVM, for what the JDK only lets a whole JVM choose: the signature
 * schemes a TLS 1.3 client offers ({@code -Djdk.tls.client.SignatureSchemes}, read once when
 * JSSE loads). Prints the protocol and the server's leaf certificate, Base64 DER, on one line.
 */
public final class StartTlsProbe {

    private StartTlsProbe() {
    }

    /** Arguments: the port, then the one protocol version to offer (TLSv1.3). */
    public static void main(String[] args) throws Exception {
        try (SmtpClient c = new SmtpClient(Integer.parseInt(args[0]))) {
            c.hello();
            String reply = c.startTls(List.of(args[1]), null);
            if (!reply.startsWith("220 ")) {
                throw new IllegalStateException("STARTTLS refused: " + reply);
            }
            Certificate leaf = c.tlsSession().getPeerCertificates()[0];
            System.out.println(c.tlsSession().getProtocol() + " " + Base64.getEncoder().encodeToString(leaf.getEncoded()));
        }
    }
}
