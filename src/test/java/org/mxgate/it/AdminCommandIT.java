package org.mxgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxgate.config.ConfigFiles;
import org.mxgate.Main;
import org.mxgate.cli.MxgateCommand;
import picocli.CommandLine;

/**
 * {@code mxgate backend drain|halt|enable POOL/NAME} and {@code mxgate status} against a running
 * gateway, as a script on the host runs them (in process, through the same picocli command line
 * as bin/mxgate): they find the admin listener and the token in the config, do what the buttons
 * do, and fail with a clear sentence and exit code when the token is wrong, the backend unknown or
 * the gateway not running.
 */
class AdminCommandIT {

    private static final byte[] SMALL = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {
    }

    private static Result mxgate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new MxgateCommand(Main::start));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void drainHaltAndEnableFromTheCommandLine() throws Exception {
        try (RecordingBackend b1 = new RecordingBackend();
             RecordingBackend b2 = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(b1.port(), b2.port()), "", "",
                     "shutdown_grace: 2s\n" + AdminHttp.adminBlock(dir, AdminHttp.freePort()));
             SmtpClient client = new SmtpClient(gateway.internet())) {
            String conf = gateway.configFile().toString();
            client.hello();

            Result drained = mxgate("backend", "drain", "-c", conf, "mailbox/b1");
            assertEquals(0, drained.exitCode(), drained.err());
            assertEquals("mailbox/b1: draining, 0 in flight\n", drained.out());
            for (int i = 0; i < 3; i++) {
                assertTrue(client.sendMessage("x@client.test", List.of("user@example.test"), SMALL).contains("(backend b2"));
            }
            assertEquals(0, b1.mailCommands(), "a drained backend takes no new transaction");

            Result status = mxgate("status", "--config", conf);
            assertEquals(0, status.exitCode(), status.err());
            assertTrue(status.out().startsWith("mxgate mx.test.invalid: healthy\n"), status.out());
            assertTrue(status.out().lines().anyMatch(l -> l.matches("internet +127\\.0\\.0\\.1:\\d+ +1 +3 +0")), status.out());
            assertTrue(status.out().lines().anyMatch(l -> l.matches("mailbox/b1 +127\\.0\\.0\\.1:\\d+ +draining .*")),
                    status.out());
            assertTrue(status.out().lines().anyMatch(l -> l.matches("mailbox/b2 +127\\.0\\.0\\.1:\\d+ +up .* 0 +3  -")), status.out());
            assertTrue(status.out().contains("last change: drain mailbox/b1 at "), status.out());

            assertEquals("mailbox/b2: halted, 0 in flight\n", mxgate("backend", "halt", "-c", conf, "mailbox/b2").out());
            assertEquals("mailbox/b1: up, 0 in flight\n", mxgate("backend", "enable", "-c", conf, "mailbox/b1").out());
            assertTrue(client.sendMessage("x@client.test", List.of("user@example.test"), SMALL).contains("(backend b1"));
        }
    }

    @Test
    void wrongTokenUnknownBackendAndNoGatewayAreClearFailures() throws Exception {
        int adminPort;
        try (RecordingBackend b1 = new RecordingBackend();
             TestGateway gateway = TestGateway.start(List.of(b1.port()), "", "",
                     "shutdown_grace: 2s\n" + AdminHttp.adminBlock(dir, AdminHttp.freePort()))) {
            adminPort = gateway.gateway().adminPort();
            String conf = gateway.configFile().toString();
            Result unknown = mxgate("backend", "drain", "-c", conf, "mailbox/nope");
            assertEquals(1, unknown.exitCode());
            assertEquals("mxgate: pool mailbox has no backend nope\n", unknown.err());

            Result usage = mxgate("backend", "unplug", "-c", conf, "mailbox/b1");
            assertEquals(2, usage.exitCode());
            assertTrue(usage.err().startsWith("expected drain, halt or enable; got 'unplug'"), usage.err());

            // The gateway read its token at start; a token file changed since then no longer matches.
            Files.writeString(dir.resolve("admin.token"), "another-token-0123456789abcdef\n");
            Result wrong = mxgate("backend", "drain", "-c", conf, "mailbox/b1");
            assertEquals(1, wrong.exitCode());
            assertEquals("mxgate: the gateway refused the token in " + dir.resolve("admin.token")
                    + " (401): is it the token the gateway started with?\n", wrong.err());
            assertEquals("UP", gateway.gateway().pool("mailbox").backends().get(0).state().name());
        }
        Path conf = ConfigFiles.writeMinimal(dir, "admin: { listen: \"127.0.0.1:" + adminPort + "\" }\n");
        Result stopped = mxgate("status", "-c", conf.toString());
        assertEquals(3, stopped.exitCode(), stopped.err());
        assertEquals("mxgate: cannot connect to the admin listener at http://127.0.0.1:" + adminPort
                + ": is the gateway running with this config?\n", stopped.err());

        ConfigFiles.writeMinimal(dir, "");
        Result off = mxgate("backend", "drain", "-c", conf.toString(), "mailbox/b1");
        assertEquals(2, off.exitCode());
        assertTrue(off.err().contains("has no admin block, so the gateway has no admin listener to ask"), off.err());
    }
}
