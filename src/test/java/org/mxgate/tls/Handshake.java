package org.mxgate.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A TLS handshake between two handlers in memory: each side sits in an EmbeddedChannel and the
 * bytes one writes are fed to the other until both are done or nothing moves. No sockets.
 */
record Handshake(Throwable serverFailure, Throwable clientFailure, SSLSession client, SSLSession server) {

    static Handshake run(SslHandler serverHandler, SslHandler clientHandler) {
        EmbeddedChannel server = new EmbeddedChannel(serverHandler);
        EmbeddedChannel client = new EmbeddedChannel(clientHandler);
        try {
            for (int round = 0; round < 20; round++) {
                boolean moved = move(client, server) | move(server, client);
                if (!moved) {
                    break;
                }
            }
            return new Handshake(failure(serverHandler), failure(clientHandler), clientHandler.engine().getSession(),
                    serverHandler.engine().getSession());
        } finally {
            server.finishAndReleaseAll();
            client.finishAndReleaseAll();
        }
    }

    private static Throwable failure(SslHandler handler) {
        if (!handler.handshakeFuture().isDone()) {
            return new IllegalStateException("handshake did not finish");
        }
        return handler.handshakeFuture().cause();
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (ByteBuf bytes = from.readOutbound(); bytes != null; bytes = from.readOutbound()) {
            moved = true;
            if (!to.isOpen()) {
                bytes.release();
                continue;
            }
            try {
                to.writeInbound(bytes);
            } catch (Exception e) {
                // A failed handshake is rethrown here by EmbeddedChannel; the handshake future keeps it.
            }
        }
        return moved;
    }

    boolean succeeded() {
        return serverFailure == null && clientFailure == null;
    }

    X509Certificate serverCertificate() throws SSLPeerUnverifiedException {
        return (X509Certificate) client.getPeerCertificates()[0];
    }
}
