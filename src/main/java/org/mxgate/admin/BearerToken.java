package org.mxgate.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin API's token and the one check of what a request presents: an
 * {@code Authorization: Bearer} header (RFC 6750 2.1) or, from the status page's forms, a
 * {@code token} field. Compared in constant time: both sides are hashed with SHA-256 and the
 * digests compared with {@link MessageDigest#isEqual}, so neither the content nor the length of
 * the token leaks through timing.
 */
final class BearerToken {

    /** How a request stands towards changes. */
    enum Access {
        /** The right token. */
        GRANTED,
        /** No token presented: 401. */
        MISSING,
        /** A wrong token: 401. */
        WRONG,
        /** No token file configured, so no token can be right: 403. */
        READ_ONLY
    }

    private static final String SCHEME = "Bearer ";

    private final byte[] digest;

    /** @param token the configured token, or null when the API is read-only */
    BearerToken(String token) {
        this.digest = token == null ? null : sha256(token);
    }

    boolean isConfigured() {
        return digest != null;
    }

    /**
     * @param authorization the Authorization header, or null
     * @param formToken the form's {@code token} field, or null; used only without the header
     */
    Access check(String authorization, String formToken) {
        if (digest == null) {
            return Access.READ_ONLY;
        }
        String presented = null;
        if (authorization != null) {
            // RFC 7235 2.1: the scheme is case-insensitive.
            if (authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
                presented = authorization.substring(SCHEME.length()).strip();
            } else {
                return Access.WRONG;
            }
        } else if (formToken != null && !formToken.isBlank()) {
            presented = formToken.strip();
        }
        if (presented == null || presented.isEmpty()) {
            return Access.MISSING;
        }
        return MessageDigest.isEqual(digest, sha256(presented)) ? Access.GRANTED : Access.WRONG;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
