package org.mxgate.cli;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.mxgate.listener.StartException;
import org.mxgate.net.HostPort;

/**
 * The demo's two embedded GreenMail backends, SMTP and IMAP on loopback: mx1 on 3025 and 3143,
 * mx2 on 3026 and 3144. The one class that names GreenMail, and only {@code demo} calls it, so
 * no other command loads a GreenMail class (StartupIT).
 */
final class DemoBackends implements AutoCloseable {

    /** One demo backend's name and its two loopback ports. */
    private record Ports(String backend, int smtp, int imap) {
    }

    private static final List<Ports> BACKENDS = List.of(new Ports("mx1", 3025, 3143), new Ports("mx2", 3026, 3144));

    private final List<GreenMail> servers;

    private DemoBackends(List<GreenMail> servers) {
        this.servers = servers;
    }

    /**
     * @throws StartException when one of the four ports is taken (a demo already running, most
     *                        likely): GreenMail would report it as a stack trace from its own thread
     */
    static DemoBackends start() {
        for (Ports ports : BACKENDS) {
            refuseIfTaken(ports.backend() + " (SMTP)", ports.smtp());
            refuseIfTaken(ports.backend() + " (IMAP)", ports.imap());
        }
        return new DemoBackends(BACKENDS.stream().map(DemoBackends::server).toList());
    }

    private static void refuseIfTaken(String what, int port) {
        HostPort address = new HostPort("127.0.0.1", port);
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address.host(), address.port()));
        } catch (IOException e) {
            throw StartException.cannotBind("demo backend " + what, address, e);
        }
    }

    private static GreenMail server(Ports ports) {
        GreenMail mail = new GreenMail(new ServerSetup[] {
            new ServerSetup(ports.smtp(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(ports.imap(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP)
        });
        mail.start();
        return mail;
    }

    @Override
    public void close() {
        servers.forEach(GreenMail::stop);
    }
}
