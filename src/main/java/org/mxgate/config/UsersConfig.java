package org.mxgate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code policies/users.yml}: the SMTP AUTH users, their bcrypt hashes and the sender addresses
 * each may use. Logins compare without regard to case. Never holds a plaintext password.
 *
 * @param file the users file, or null when there is none
 */
public record UsersConfig(Path file, Map<String, User> users) {

    public static final UsersConfig NONE = new UsersConfig(null, Map.of());

    public UsersConfig {
        users = Map.copyOf(users);
    }

    public Optional<User> find(String login) {
        return Optional.ofNullable(users.get(login.toLowerCase(Locale.ROOT)));
    }

    /**
     * One user.
     *
     * @param login the name as written in the file
     * @param passwordHash a bcrypt hash ({@code $2y$}, {@code $2b$} or {@code $2a$})
     * @param senders addresses ({@code user@domain}), whole domains ({@code @domain}) or
     *                {@code <>} this user may put in MAIL FROM where the policy says
     *                {@code sender_login}; when empty, the login itself if it is an address
     */
    public record User(String login, String passwordHash, List<String> senders) {

        public User {
            senders = List.copyOf(senders);
        }

        @Override
        public String toString() {
            return "User[" + login + "]";
        }
    }
}
