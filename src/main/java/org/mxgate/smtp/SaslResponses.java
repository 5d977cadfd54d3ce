package org.mxgate.smtp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Decodes the client's side of an SMTP AUTH exchange (RFC 4954 4): base64 responses for PLAIN
 * (RFC 4616) and LOGIN. Pure; never logs what it decodes, because it holds passwords.
 */
final class SaslResponses {

    // RFC 4954 4: the LOGIN mechanism's customary prompts, "Username:" and "Password:" in base64.
    static final String USERNAME_PROMPT = "VXNlcm5hbWU6";
    static final String PASSWORD_PROMPT = "UGFzc3dvcmQ6";

    /** A login and its password; the password never appears in {@link #toString()}. */
    record Credentials(String login, char[] password) {
        @Override
        public String toString() {
            return "Credentials[" + login + "]";
        }
    }

    private SaslResponses() {
    }

    // RFC 4954 4: "=" is an empty initial response.
    static boolean isEmptyResponse(String response) {
        return response.equals("=");
    }

    static boolean isBase64(String response) {
        return bytes(response).isPresent();
    }

    /** RFC 4954 4: a client cancels the exchange with "*". */
    static boolean isCancel(String response) {
        return response.equals("*");
    }

    /**
     * RFC 4616 2: {@code [authzid] NUL authcid NUL passwd} in UTF-8. An authorization identity
     * other than the login itself would mean acting for someone else, which we do not offer.
     */
    static Optional<Credentials> plain(String base64) {
        Optional<byte[]> bytes = bytes(base64);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        byte[] b = bytes.get();
        try {
            int first = indexOf(b, 0);
            int second = first < 0 ? -1 : indexOf(b, first + 1);
            if (second < 0 || indexOf(b, second + 1) >= 0) {
                return Optional.empty();
            }
            Optional<String> authzid = utf8(Arrays.copyOfRange(b, 0, first));
            Optional<String> login = utf8(Arrays.copyOfRange(b, first + 1, second));
            Optional<char[]> password = utf8Chars(Arrays.copyOfRange(b, second + 1, b.length));
            if (authzid.isEmpty() || login.isEmpty() || password.isEmpty() || login.get().isEmpty()
                    || !authzid.get().isEmpty() && !authzid.get().equals(login.get())) {
                return Optional.empty();
            }
            return Optional.of(new Credentials(login.get(), password.get()));
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** One base64 text response (LOGIN's user name). */
    static Optional<String> text(String base64) {
        return bytes(base64).flatMap(SaslResponses::utf8);
    }

    /** One base64 secret response (LOGIN's password), kept out of immutable strings. */
    static Optional<char[]> secret(String base64) {
        Optional<byte[]> bytes = bytes(base64);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return utf8Chars(bytes.get());
        } finally {
            Arrays.fill(bytes.get(), (byte) 0);
        }
    }

    private static Optional<byte[]> bytes(String base64) {
        try {
            return Optional.of(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<String> utf8(byte[] b) {
        return utf8Chars(b).map(String::new);
    }

    private static Optional<char[]> utf8Chars(byte[] b) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            return Optional.of(out);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
