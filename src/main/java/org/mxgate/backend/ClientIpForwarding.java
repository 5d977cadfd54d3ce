package org.mxgate.backend;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a backend session speak for the real client with Postfix's XCLIENT: sent when the
 * session last spoke for someone else, followed by EHLO again as the extension requires. A
 * backend that does not offer XCLIENT is used as it is, with one warning per backend; one that
 * refuses it fails like any other refusal, so the transaction moves to the next backend.
 */
final class ClientIpForwarding {

    private static final Logger LOG = LoggerFactory.getLogger(ClientIpForwarding.class);

    private final String heloName;

    ClientIpForwarding(String heloName) {
        this.heloName = heloName;
    }

    CompletableFuture<BackendSession> xclient(BackendSession session, ForwardedClient client, Duration timeout) {
        if (client == null || client.identity().equals(session.speaksFor())) {
            return CompletableFuture.completedFuture(session);
        }
        if (!session.offers("XCLIENT")) {
            if (session.backend().warnOnce("no-xclient")) {
                LOG.warn("backend {} does not offer XCLIENT; it sees mxgate's address instead of the clients'"
                        + " (Postfix: smtpd_authorized_xclient_hosts)", session.backend().name());
            }
            return CompletableFuture.completedFuture(session);
        }
        Set<String> offered = session.parametersOf("XCLIENT");
        // XCLIENT is refused inside a transaction: one left open is reset first.
        CompletableFuture<Void> ready = session.needsReset()
                ? session.send("RSET", timeout).thenAccept(reply -> session.needsReset(false))
                : CompletableFuture.completedFuture(null);
        return ready
                .thenCompose(ignored -> session.send(client.xclientCommand(offered), timeout))
                .thenCompose(reply -> {
                    if (reply.code() != 220) {
                        throw new BackendException(BackendException.Kind.REFUSED,
                                session.backend().name() + ": XCLIENT refused: " + reply, reply);
                    }
                    return session.send("EHLO " + heloName, timeout);
                })
                .thenApply(ehlo -> {
                    if (ehlo.code() != 250) {
                        throw new BackendException(BackendException.Kind.REFUSED,
                                session.backend().name() + ": EHLO after XCLIENT refused: " + ehlo, ehlo);
                    }
                    session.capabilities(ehlo);
                    session.speaksFor(client.identity());
                    return session;
                })
                .whenComplete((s, error) -> {
                    if (error != null) {
                        session.abort();
                    }
                });
    }
}
