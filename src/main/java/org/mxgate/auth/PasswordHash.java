package org.mxgate.auth;

import java.security.SecureRandom;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.RuntimeCryptoException;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt hashes as users.yml holds them: {@code $2y$} when made here; {@code $2a$}, {@code $2b$}
 * and {@code $2y$} accepted when checked. bcrypt reads only the first 72 bytes of the password's
 * UTF-8 form, so two passwords that share those bytes match the same hash. Uses Bouncy Castle's
 * lightweight API and never registers a JCE provider; a malformed hash never throws, it just does not match.
 */
public final class PasswordHash {

    public static final int DEFAULT_COST = 10;

    // The modular crypt form: version, two-digit cost from 4 to 31, 22 characters of salt and 31 of hash.
    private static final Pattern FORMAT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    /** A new {@code $2y$} hash with a fresh 16-byte salt; throws IllegalArgumentException for a cost outside 4 to 31. */
    public static String create(char[] password, int cost) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password, salt, cost);
    }

    /** The cost written in a well-formed hash (4 to 31), or -1 for a null or malformed one. */
    public static int cost(String hash) {
        if (hash == null || !FORMAT.matcher(hash).matches()) {
            return -1;
        }
        return Integer.parseInt(hash.substring(4, 6));
    }

    /**
     * The same hash with another cost written in it. bcrypt's work follows the cost in the hash, and
     * the digest no longer belongs to that salt and cost, so no password matches the result: a decoy
     * that costs exactly what a real hash of that cost costs. Throws IllegalArgumentException for a
     * malformed hash or a cost outside 4 to 31.
     */
    public static String withCost(String hash, int cost) {
        if (cost(hash) < 0 || cost < 4 || cost > 31) {
            throw new IllegalArgumentException("need a bcrypt hash and a cost from 4 to 31, got cost " + cost);
        }
        return hash.substring(0, 4) + String.format("%02d", cost) + hash.substring(6);
    }

    /** Whether the password matches; false for a null or malformed hash or a null password. */
    public static boolean matches(String hash, char[] password) {
        if (hash == null || password == null || !FORMAT.matcher(hash).matches()) {
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(hash, password);
        } catch (IllegalArgumentException | RuntimeCryptoException e) {
            // The pattern above keeps out what Bouncy Castle refuses; this is the second line, so a
            // bad line in users.yml costs that user a login, never the session a stack trace.
            return false;
        }
    }
}
