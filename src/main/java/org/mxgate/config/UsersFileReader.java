package org.mxgate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code policies/users.yml} into a {@link UsersConfig}: one entry per login,
 * {@code login: { password: "$2y$...", senders: [...] }}. Every mistake is recorded on its node
 * as {@code file:line: reason}; a plaintext password is refused, never stored.
 */
final class UsersFileReader {

    private static final Block USER = new Block("senders");
    private static final Key<String> PASSWORD = USER.requiredText("password");
    // The modular crypt form of bcrypt: $2a$, $2b$ or $2y$, a two-digit cost, 22 characters of salt and 31 of hash.
    private static final String BCRYPT = "\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}";

    private UsersFileReader() {
    }

    static UsersConfig read(ConfigNode root) {
        Map<String, UsersConfig.User> users = new HashMap<>();
        root.entries().forEach((login, node) -> {
            node.allowOnly(USER);
            if (login.isBlank() || !login.chars().allMatch(c -> c > 32 && c != 127)) {
                node.error("a login is one word without spaces or control characters: '" + login + "'");
                return;
            }
            String hash = node.value(PASSWORD);
            if (hash == null) {
                return;
            }
            if (!hash.matches(BCRYPT)) {
                node.child("password").error("password must be a bcrypt hash ($2y$...) as printed by"
                        + " 'bin/mxgate passwd " + login + "', never the password itself");
                return;
            }
            List<String> senders = new ArrayList<>();
            for (ConfigNode s : node.list("senders")) {
                String sender = s.parse(UsersFileReader::sender, null);
                if (sender != null) {
                    senders.add(sender);
                }
            }
            String key = login.toLowerCase(Locale.ROOT);
            if (users.containsKey(key)) {
                node.error("login '" + login + "' appears twice (logins compare without regard to case)");
            }
            users.put(key, new UsersConfig.User(login, hash, senders));
        });
        return new UsersConfig(root.file(), users);
    }

    private static String sender(String text) {
        if (text.equals("<>")) {
            return text;
        }
        int at = text.lastIndexOf('@');
        if (at < 0 || at == text.length() - 1 || text.indexOf('@') != at || text.chars().anyMatch(c -> c <= 32 || c == '<' || c == '>')) {
            throw new IllegalArgumentException("a sender is an address, @domain or <>, got '" + text + "'");
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
