package org.mxgate.cli;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.List;

/**
 * The demo's two embedded GreenMail backends, SMTP and IMAP on loopback: mx1 on 3025 and 3143,
 * mx2 on 3026 and 3144. The one class that names GreenMail, and only {@code demo} calls it, so
 * no other command loads a GreenMail class (StartupIT).
 */
final class DemoBackends implements AutoCloseable {

    private final List<GreenMail> servers;

    private DemoBackends(List<GreenMail> servers) {
        this.servers = servers;
    }

    static DemoBackends start() {
        return new DemoBackends(List.of(server(3025, 3143), server(3026, 3144)));
    }

    private static GreenMail server(int smtp, int imap) {
        GreenMail mail = new GreenMail(new ServerSetup[] {
            new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(imap, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)
        });
        mail.start();
        return mail;
    }

    @Override
    public void close() {
        servers.forEach(GreenMail::stop);
    }
}
