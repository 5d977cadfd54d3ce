package org.mxgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The admin API's bearer token, kept in a file of its own ({@code admin.token_file}) so it never
 * sits in the main config or a process listing. The token is the file's text without surrounding
 * blanks; the loader refuses a file that is missing, unreadable, empty, short or holds characters
 * a bearer token may not carry. Read once at start by the gateway and by each CLI call.
 */
public final class TokenFile {

    /** Sixteen characters at the least; {@code openssl rand -hex 32} gives 64. */
    public static final int MIN_LENGTH = 16;

    /** Far above any token; a larger file is a wrong path, not a token. */
    private static final long MAX_SIZE = 4096;

    private TokenFile() {
    }

    /** The token; an IOException when the file cannot be read, IllegalArgumentException when it is no usable token. */
    public static String read(Path file) throws IOException {
        if (Files.size(file) > MAX_SIZE) {
            throw new IllegalArgumentException("larger than " + MAX_SIZE + " bytes: not a token file");
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("is empty; put a long random token in it (openssl rand -hex 32)");
        }
        // RFC 6750 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        if (!token.matches("[A-Za-z0-9._~+/-]+=*")) {
            throw new IllegalArgumentException("holds characters a bearer token may not carry (RFC 6750 2.1: letters, "
                    + "digits and - . _ ~ + /, then = at the end)");
        }
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("holds a token of " + token.length() + " characters; use at least "
                    + MIN_LENGTH + " (openssl rand -hex 32)");
        }
        return token;
    }
}
