package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxgate.Main;
import org.mxgate.cli.MxgateCommand;
import picocli.CommandLine;

/**
 * {@code mxgate explain} against the configuration of a running gateway gives the reply a real
 * session on that listener gets: the same refusal, word for word, or an acceptance that the
 * session then hands to the backend.
 */
class ExplainIT {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "internet, user@elsewhere.test",
        "internet, user@example.test",
        "internet, user%elsewhere.test@example.test",
        "internet, postmaster",
        "internal, user@elsewhere.test",
        "internal, user@[127.0.0.1]",
    })
    void explainGivesTheReplyOfARealSession(String listener, String recipient) throws Exception {
        try (RecordingBackend backend = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(backend.port()));
             SmtpClient client = new SmtpClient(gateway.gateway().port(listener))) {
            client.hello();
            assertTrue(client.send("MAIL FROM:<a@client.test>").startsWith("250"));
            String real = client.send("RCPT TO:<" + recipient + ">");

            String explained = explain("--config", gateway.configFile().toString(), "--listener", listener,
                    "--client", "127.0.0.1", "--from", "a@client.test", "--to", recipient);
            String predicted = explained.lines().filter(l -> l.startsWith("  => ")).reduce((a, b) -> b).orElseThrow().substring(5);
            if (predicted.startsWith("250")) {
                assertTrue(real.startsWith("250"), "explain: " + predicted + ", session: " + real);
                assertTrue(explained.contains("the backend's reply to RCPT is then the client's reply"));
            } else {
                assertEquals(real, predicted);
            }
        }
    }

    private static String explain(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            String[] argv = new String[args.length + 1];
            argv[0] = "explain";
            System.arraycopy(args, 0, argv, 1, args.length);
            assertEquals(0, new CommandLine(new MxgateCommand(Main::start)).execute(argv));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
