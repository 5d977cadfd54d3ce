package org.mxgate.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A private Postfix instance on one loopback port, built from the templates in
 * {@code src/test/resources/interop/postfix/} (shared with bench/), with its own queue, data
 * directory and log file under a temporary directory. Needs root; the system Postfix is untouched.
 */
final class PostfixInstance implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;

    private PostfixInstance(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** @param settings main.cf lines appended to the template, e.g. relayhost */
    static PostfixInstance start(String name, Map<String, String> settings) throws Exception {
        Path dir = Files.createTempDirectory("mxgate-postfix-" + name + "-");
        // The postfix user must reach the queue and data directories below this one.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = InteropTools.freePort();
        StringBuilder main = new StringBuilder(template("main.cf", dir, port, name)).append('\n');
        settings.forEach((key, value) -> main.append(key).append(" = ").append(value).append('\n'));
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/main.cf"), main);
        Files.writeString(dir.resolve("etc/master.cf"), template("master.cf", dir, port, name));
        Files.createDirectories(dir.resolve("queue"));
        ownedByPostfix(Files.createDirectories(dir.resolve("data")));
        PostfixInstance instance = new PostfixInstance(dir, port);
        InteropTools.Output started = InteropTools.run(START_LIMIT, "/usr/sbin/postfix", "-c", dir.resolve("etc").toString(), "start");
        if (started.exitCode() != 0 || !listensWithin(START_LIMIT, port)) {
            String log = instance.maillog();
            instance.close();
            throw new IllegalStateException("postfix " + name + " did not start: " + started.text() + "\n" + log);
        }
        return instance;
    }

    private static boolean listensWithin(Duration limit, int port) {
        try {
            await().atMost(limit).until(() -> InteropTools.isListening(port));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * A Postfix that stores all mail for example.test in one Maildir, {@code mail/inbox/}, with
     * SMTPUTF8 on; {@code extra} adds or replaces main.cf settings.
     */
    static PostfixInstance mailbox(String name, Path mail, Map<String, String> extra) throws Exception {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("virtual_mailbox_domains", "example.test");
        settings.put("virtual_mailbox_base", ownedByPostfix(mail).toString());
        settings.put("virtual_mailbox_maps", "static:inbox/");
        settings.put("virtual_uid_maps", "static:" + Files.getAttribute(mail, "unix:uid"));
        settings.put("virtual_gid_maps", "static:" + Files.getAttribute(mail, "unix:gid"));
        settings.put("smtputf8_enable", "yes");
        settings.putAll(extra);
        return start(name, settings);
    }

    /** A directory the postfix user and group own, e.g. for virtual mailboxes. */
    static Path ownedByPostfix(Path directory) throws IOException {
        UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName("postfix"));
        view.setGroup(users.lookupPrincipalByGroupName("postfix"));
        return directory;
    }

    private static String template(String file, Path dir, int port, String name) throws IOException {
        try (InputStream in = PostfixInstance.class.getResourceAsStream("/interop/postfix/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@DIR@", dir.toString())
                    .replace("@PORT@", Integer.toString(port))
                    .replace("@NAME@", name);
        }
    }

    int port() {
        return port;
    }

    Path directory() {
        return dir;
    }

    /** The instance's log so far (empty before its first line). */
    String maillog() {
        try {
            Path log = dir.resolve("maillog");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(maillog unreadable: " + e + ")";
        }
    }

    /** Messages delivered into the Maildir {@code dir} ({@code mail/inbox/new} of {@link #mailbox}); 0 before it exists. */
    static long messagesIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Waits until {@code inbox} holds exactly one message, and returns it; the log says why not. */
    String onlyMessage(Path inbox, Duration limit) throws IOException {
        await().atMost(limit).untilAsserted(() -> org.junit.jupiter.api.Assertions.assertEquals(1, messagesIn(inbox),
                this::maillog));
        try (Stream<Path> files = Files.list(inbox)) {
            return Files.readString(files.findFirst().orElseThrow(), StandardCharsets.UTF_8);
        }
    }

    /** How many log lines contain the text, e.g. "status=sent". */
    long logLines(String text) {
        return maillog().lines().filter(line -> line.contains(text)).count();
    }

    @Override
    public void close() throws Exception {
        InteropTools.run(START_LIMIT, "/usr/sbin/postfix", "-c", dir.resolve("etc").toString(), "stop");
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
