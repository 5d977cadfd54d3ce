package org.mxgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mxgate check}: exit 0 for a valid set, exit 1 with {@code file:line: reason} for each mistake. */
class CheckCommandTest {

    @TempDir
    Path dir;

    @Test
    void validConfigurationPassesAndBrokenOneIsReportedWithFileAndLine() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Path config = dir.resolve("conf/mxgate.yml");
        Files.writeString(config, """
                hostname: mx.example.test
                listeners:
                  - { name: internet, listen: 127.0.0.1:2525, policy: internet }
                pools:
                  mailbox:
                    servers:
                      - { name: mx1, address: 127.0.0.1:25 }
                """);
        Files.writeString(dir.resolve("policies/internet.yml"), "accept_domains: [example.test]\nroute: mailbox\n");
        assertEquals(0, run("check", "--config", config.toString()).exitCode);

        Files.writeString(dir.resolve("policies/internet.yml"),
                "accept_domains: [example.test]\nroute: mailbox\nlimits:\n  idle_timeout: soon\n  max_recipents: 5\n");
        Result broken = run("check", "--config", config.toString());
        assertEquals(1, broken.exitCode);
        Path policy = dir.resolve("policies/internet.yml").toAbsolutePath().normalize();
        assertTrue(broken.err.contains(policy + ":4: expected a duration"), broken.err);
        assertTrue(broken.err.contains(policy + ":5: unknown key 'max_recipents'"), broken.err);
    }

    @Test
    void builtInDemoConfigurationIsValid() throws Exception {
        for (String name : DemoCommand.FILES) {
            Path target = dir.resolve(name);
            Files.createDirectories(target.getParent());
            try (var in = getClass().getResourceAsStream("/demo/" + name)) {
                Files.copy(in, target);
            }
        }
        Result result = run("check", "--config", dir.resolve("conf/mxgate.yml").toString());
        assertEquals(0, result.exitCode, result.err);
    }

    @Test
    void demoAdminTokenIsTheOneTheDemoPrints() throws Exception {
        try (var in = getClass().getResourceAsStream("/demo/conf/admin.token")) {
            assertEquals(DemoCommand.DEMO_ADMIN_TOKEN, new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }

    @Test
    void shippedConfigurationIsValid() {
        // The files an admin starts from (conf/, policies/ at the project root) must pass check.
        Result result = run("check", "--config", Path.of("conf/mxgate.yml").toAbsolutePath().toString());
        assertEquals(0, result.exitCode, result.err);
    }

    @Test
    void shippedSubmissionPolicyIsValidWhenAListenerUsesIt() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        String conf = Files.readString(Path.of("conf/mxgate.yml"))
                .replace("  # - name: submission", "  - name: submission")
                .replace("  #   listen: 0.0.0.0:2587", "    listen: 0.0.0.0:2587")
                .replace("  #   policy: submission", "    policy: submission")
                .replace("policy_dir: ../policies", "policy_dir: " + Path.of("policies").toAbsolutePath());
        assertTrue(conf.contains("policy: submission\n"), conf);
        Files.writeString(dir.resolve("conf/mxgate.yml"), conf);
        Result result = run("check", "--config", dir.resolve("conf/mxgate.yml").toString());
        assertEquals(0, result.exitCode, result.err);
        assertTrue(result.out.contains("3 listeners"), result.out);
    }

    @Test
    void tlsFilesAreCheckedWithoutCreatingAny() throws Exception {
        Files.createDirectories(dir.resolve("policies"));
        Path config = dir.resolve("conf/mxgate.yml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, """
                hostname: mx.example.test
                listeners:
                  - { name: internet, listen: 127.0.0.1:2525, policy: internet, tls: starttls }
                pools:
                  mailbox:
                    servers:
                      - { name: mx1, address: 127.0.0.1:25 }
                """);
        Files.writeString(dir.resolve("policies/internet.yml"), "accept_domains: [example.test]\n");
        Result none = run("check", "--config", config.toString());
        assertEquals(0, none.exitCode, none.err);
        assertTrue(none.out.contains("certificate: none yet; the first start makes a self-signed pair for mx.example.test"),
                none.out);
        assertTrue(!Files.exists(dir.resolve("certs/mxgate.crt")), "check creates nothing");

        org.mxgate.tls.SelfSignedPair.create("mx.example.test", dir.resolve("certs/mxgate.crt"), dir.resolve("certs/mxgate.key"));
        Result good = run("check", "--config", config.toString());
        assertEquals(0, good.exitCode, good.err);
        assertTrue(good.out.contains("certificate: CN=mx.example.test, valid until"), good.out);

        // A key that belongs to another certificate is what a botched renewal leaves behind.
        org.mxgate.tls.SelfSignedPair.create("other.test", dir.resolve("other.crt"), dir.resolve("certs/mxgate.key"));
        Result mismatched = run("check", "--config", config.toString());
        assertEquals(1, mismatched.exitCode, mismatched.out);
        assertTrue(mismatched.err.contains("mxgate.key"), mismatched.err);
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new MxgateCommand(config -> {
                throw new AssertionError("check must not start a gateway");
            })).execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
