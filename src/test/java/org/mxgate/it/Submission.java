package org.mxgate.it;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.Map;
import org.mxgate.auth.PasswordHash;

/**
 * A gateway with one submission listener (TLS mode as asked, AUTH on, authenticated relay,
 * sender_login) in front of a recording backend, with alice@example.test in users.yml: the
 * set-up the TLS and AUTH tests share.
 */
final class Submission implements AutoCloseable {

    static final String PASSWORD = "correct horse battery staple";

    static final String POLICY = """
            accept_domains: [example.test]
            relay: { authenticated: true }
            auth: { enabled: true, sender_login: true }
            """;

    private final RecordingBackend backend;
    private final TestGateway gateway;

    private Submission(RecordingBackend backend, TestGateway gateway) {
        this.backend = backend;
        this.gateway = gateway;
    }

    /**
     * @param tls the listener's {@code tls}: starttls or implicit
     * @param topKeys extra top-level lines for conf/mxgate.yml, such as an {@code auth:} block
     */
    static Submission start(String tls, String topKeys) throws Exception {
        return start(tls, topKeys, Ticker.systemTicker());
    }

    /** @param authClock what the AUTH failure window is measured with */
    static Submission start(String tls, String topKeys, Ticker authClock) throws Exception {
        RecordingBackend backend = new RecordingBackend();
        try {
            return new Submission(backend, TestGateway.startWith(config(backend.port(), tls, topKeys),
                    Map.of("submission", POLICY, "users", users()), authClock));
        } catch (Exception e) {
            backend.close();
            throw e;
        }
    }

    /** A users.yml line for alice@example.test, who may also send as anything @alice.test. */
    static String users() {
        return "alice@example.test: { password: \"" + PasswordHash.create(PASSWORD.toCharArray(), 4)
                + "\", senders: [alice@example.test, \"@alice.test\"] }\n";
    }

    static String config(int backendPort, String tls, String topKeys) {
        return """
                hostname: mx.test.invalid
                shutdown_grace: 1s
                """ + topKeys + """
                listeners:
                  - { name: submission, listen: 127.0.0.1:0, policy: submission, tls: %s }
                pools:
                  mailbox:
                    servers:
                      - { name: b1, address: 127.0.0.1:%d }
                """.formatted(tls, backendPort);
    }

    RecordingBackend backend() {
        return backend;
    }

    TestGateway gateway() {
        return gateway;
    }

    int port() {
        return gateway.gateway().port("submission");
    }

    /** A client past the greeting, STARTTLS and the second EHLO, not logged in. */
    SmtpClient encryptedClient() throws Exception {
        SmtpClient c = new SmtpClient(port());
        c.hello();
        c.startTls();
        c.send("EHLO client.test");
        return c;
    }

    @Override
    public void close() throws Exception {
        try {
            gateway.close();
        } finally {
            backend.close();
        }
    }
}
