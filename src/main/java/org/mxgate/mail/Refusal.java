package org.mxgate.mail;

import java.util.Locale;

/**
 * Why the gateway refused a connection, a sender, a recipient or a message: the fixed set the
 * metrics and the status page count refusals by (docs/operations.md, "Metrics"). Fixed so that a
 * label never carries client data and the number of series stays bounded.
 */
public enum Refusal {
    /** A recipient outside the listener's domains from a client that may not relay (554 5.7.1). */
    RELAY_DENIED,
    /** The DNS lists: listed, or a lookup that failed in a zone that fails closed. */
    DNSBL,
    /** A limit on clients: connections, rates, recipients per transaction. */
    LIMITS,
    /** Over {@code max_message_size}, declared with SIZE or sent (552 5.3.4). */
    SIZE,
    /** The policy's login rules: {@code require_tls} before STARTTLS, {@code sender_login}. */
    AUTH,
    /** A backend's own refusal, passed on to the client. */
    BACKEND_REFUSAL,
    /** The client broke the protocol: a malformed address or parameter, bare CR or LF or NUL in content, talk before the banner. */
    SYNTAX,
    /** Anything else: access rules, a recipient for another pool, our own overload, no backend able to take it. */
    OTHER;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The name in metrics and on the status page: {@code relay_denied}, {@code dnsbl}… */
    public String label() {
        return label;
    }
}
