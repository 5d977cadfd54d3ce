package org.mxgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.mxgate.auth.PasswordHash;
import org.mxgate.config.ConfigException;
import org.mxgate.config.ConfigLoader;
import org.mxgate.config.GatewayConfig;
import org.mxgate.listener.StartException;
import org.mxgate.policy.RelaySelfTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mxgate demo}: the gateway on loopback in front of two embedded GreenMail servers, so a
 * newcomer can send a message through it and read it over IMAP within a minute.
 */
@Command(name = "demo", description = "Run the gateway with two embedded backends on loopback.")
final class DemoCommand implements Callable<Integer> {

    static final List<String> FILES = List.of("conf/mxgate.yml", "conf/admin.token", "policies/internet.yml",
            "policies/internal.yml", "policies/submission.yml");
    /** On loopback and on screen, like the demo password; a real installation makes its own. */
    static final String DEMO_ADMIN_TOKEN = "demo-admin-token-not-for-production";
    static final String DEMO_USER = "demo@example.test";
    static final String DEMO_PASSWORD = "demo";

    @ParentCommand
    MxgateCommand parent;

    @Override
    public Integer call() throws IOException, InterruptedException {
        DemoBackends started;
        try {
            started = DemoBackends.start();
        } catch (StartException e) {
            System.err.println(e.getMessage() + "; is another mxgate demo running? Stop it first (Ctrl-C in its terminal)");
            return 1;
        }
        try (DemoBackends backends = started) {
            return demo();
        }
    }

    private int demo() throws IOException, InterruptedException {
        GatewayConfig config;
        try {
            config = ConfigLoader.load(writeDemoFiles(), RelaySelfTest::run);
        } catch (ConfigException e) {
            throw new IllegalStateException("the built-in demo configuration is invalid: " + e.getMessage(), e);
        }
        System.out.println(String.join(System.lineSeparator(),
                "mxgate demo is running (Ctrl-C stops it).",
                "",
                "  internet listener  127.0.0.1:2525   takes mail for example.test from anyone",
                "  submission         127.0.0.1:2587   STARTTLS, then AUTH as " + DEMO_USER + " / " + DEMO_PASSWORD + ", then anywhere",
                "  internal listener  127.0.0.1:10025  relays anywhere for 127.0.0.0/8",
                "  backends           mx1 (SMTP 3025, IMAP 3143) and mx2 (SMTP 3026, IMAP 3144), GreenMail",
                "  status page        http://127.0.0.1:8025/  (admin token: " + DEMO_ADMIN_TOKEN + ")",
                "",
                "Drain a backend and watch the next messages go to the other one:",
                "  bin/mxgate backend drain mailbox/mx1 -c " + config.file() + "   (or the page's Drain button)",
                "",
                "Send a message:",
                "  swaks --server 127.0.0.1:2525 --from you@elsewhere.test --to user@example.test",
                "  or, with no swaks:",
                "  printf 'EHLO me\\r\\nMAIL FROM:<you@elsewhere.test>\\r\\nRCPT TO:<user@example.test>\\r\\nDATA\\r\\n"
                        + "Subject: hello\\r\\n\\r\\nHi\\r\\n.\\r\\nQUIT\\r\\n' | nc 127.0.0.1 2525",
                "Relaying to another domain is refused on 2525 (554 5.7.1) and allowed on 10025, and on 2587 after a login:",
                "  swaks --server 127.0.0.1:2587 --tls --auth PLAIN --auth-user " + DEMO_USER + " --auth-password "
                        + DEMO_PASSWORD + " --from " + DEMO_USER + " --to friend@elsewhere.test",
                "",
                "Read it over IMAP on 127.0.0.1:3143 or 3144 (whichever backend took it; the 250 reply names it),",
                "login and password both user@example.test, e.g.:",
                "  curl -s 'imap://127.0.0.1:3143/INBOX;UID=1' -u user@example.test:user@example.test",
                ""));
        return RunCommand.runUntilStopped(parent.starter(), config, null);
    }

    private static Path writeDemoFiles() throws IOException {
        Path root = Files.createTempDirectory("mxgate-demo-");
        for (String name : FILES) {
            Path target = root.resolve(name);
            Files.createDirectories(target.getParent());
            try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
                if (in == null) {
                    throw new IOException("demo resource missing: " + name);
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // Made here, so no hash ships in the jar; bcrypt's lowest cost, as the password is on screen anyway.
        Files.writeString(root.resolve("policies/users.yml"), "\"" + DEMO_USER + "\": { password: \""
                + PasswordHash.create(DEMO_PASSWORD.toCharArray(), 4) + "\" }\n");
        return root.resolve("conf/mxgate.yml");
    }
}
