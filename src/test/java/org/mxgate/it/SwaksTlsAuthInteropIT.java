package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * swaks against the submission listener: {@code --tls --auth PLAIN} relays to a foreign domain
 * over STARTTLS (OpenSSL on the client side, through Perl's IO::Socket::SSL), and the same
 * password without TLS is never even asked for.
 */
@Tag("interop")
class SwaksTlsAuthInteropIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private Submission submission;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(InteropTools.missing("swaks") == null, InteropTools.missing("swaks"));
        InteropTools.Output tls = InteropTools.run(LIMIT, "perl", "-MIO::Socket::SSL", "-MNet::SSLeay", "-e", "1");
        assumeTrue(tls.exitCode() == 0, "swaks --tls needs Perl's IO::Socket::SSL and Net::SSLeay: " + tls.text());
        submission = Submission.start("starttls", "");
    }

    @AfterEach
    void stop() throws Exception {
        if (submission != null) {
            submission.close();
        }
    }

    @Test
    void startTlsAndAuthPlainRelay() throws Exception {
        InteropTools.Output out = swaks("--tls", "--auth", "PLAIN", "--auth-user", "alice@example.test",
                "--auth-password", Submission.PASSWORD);
        assertEquals(0, out.exitCode(), out.text());
        assertTrue(out.text().contains("TLS started with cipher TLSv1."), out.text());
        assertTrue(out.text().contains("<~  235 2.7.0 Authentication successful"), out.text());
        assertTrue(out.text().contains("<~  250 2.0.0 Ok: queued as"), out.text());
        assertEquals(1, submission.backend().messages().size());
        assertEquals(List.of("friend@foreign.test"), submission.backend().messages().get(0).recipients());
        String received = new String(submission.backend().messages().get(0).bytes(), StandardCharsets.UTF_8);
        assertTrue(received.contains("with ESMTPSA id"), received);
    }

    @Test
    void authWithoutTlsIsNotOffered() throws Exception {
        InteropTools.Output out = swaks("--auth", "PLAIN", "--auth-user", "alice@example.test",
                "--auth-password", Submission.PASSWORD);
        assertNotEquals(0, out.exitCode(), out.text());
        assertTrue(out.text().contains("Host did not advertise authentication"), out.text());
        assertEquals(0, submission.backend().mailCommands());
    }

    private InteropTools.Output swaks(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + submission.port(),
                "--from", "alice@example.test", "--to", "friend@foreign.test", "--helo", "client.test",
                "--timeout", "20"));
        command.addAll(List.of(options));
        return InteropTools.run(LIMIT, command.toArray(String[]::new));
    }
}
