package org.mxgate.smtp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The one header the gateway adds (RFC 5321 4.4): who sent the message, from which real
 * address, through which listener, under which id. Folded lines end in CRLF; nothing a client
 * sent can put a line ending into it, because HELO names and addresses cannot hold one.
 */
public final class ReceivedHeader {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private ReceivedHeader() {
    }

    /**
     * @param balancer the load balancer whose PROXY header named the client, named in a comment; or null
     * @param tls the TLS protocol and cipher, named in a comment as Postfix does; or null
     * @param protocol the RFC 3848 / RFC 6531 "with" keyword: SMTP, ESMTP, ESMTPSA, UTF8SMTPS...
     * @param recipient named in a {@code for} clause only when it is the only one, or null
     */
    public static String format(String helo, InetAddress client, InetAddress balancer, String tls, String hostname, String listener,
                                String protocol, String queueId, String recipient, ZonedDateTime when) {
        StringBuilder h = new StringBuilder("Received: from ").append(helo == null ? "unknown" : helo)
                .append(" (unknown [").append(literal(client)).append("])\r\n");
        if (balancer != null) {
            h.append("\t(through load balancer [").append(literal(balancer)).append("])\r\n");
        }
        if (tls != null) {
            h.append("\t(using ").append(tls).append(")\r\n");
        }
        h.append("\tby ").append(hostname).append(" (mxgate ").append(listener).append(") with ")
                .append(protocol).append(" id ").append(queueId);
        if (recipient != null) {
            h.append("\r\n\tfor <").append(recipient).append(">");
        }
        return h.append("; ").append(DATE.format(when)).append("\r\n").toString();
    }

    /** RFC 3848 and RFC 6531 4.3: the "with" keyword, S for TLS and A for a login. */
    static String protocol(boolean extended, boolean smtputf8, boolean tls, boolean login) {
        if (!extended && !smtputf8) {
            return "SMTP";
        }
        return (smtputf8 ? "UTF8SMTP" : "ESMTP") + (tls ? "S" : "") + (login ? "A" : "");
    }

    private static String literal(InetAddress address) {
        return address instanceof Inet6Address ? "IPv6:" + address.getHostAddress() : address.getHostAddress();
    }
}
