package org.mxgate.mail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of one running gateway among several that act as one: 1 to 4 base-36 characters,
 * lower case, at the end of every queue id and session id it gives and in every protocol log
 * line, so logs of several instances merge without two lines claiming the same id. Explicit
 * ({@code instance_id}) or {@link #derive derived}; docs/configuration.md says why each form.
 */
public record InstanceId(String value) {

    /** Short, so ids stay short; letters and digits only, so they are safe in log lines and Received headers. */
    public static final int MAX_LENGTH = 4;

    private static final Pattern FORM = Pattern.compile("[0-9a-z]{1," + MAX_LENGTH + "}");
    /** 36^4: every value of four base-36 characters. */
    private static final long DERIVED_VALUES = 36L * 36 * 36 * 36;

    public InstanceId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("instance_id must be 1 to " + MAX_LENGTH
                    + " letters or digits (a-z, 0-9), got '" + value + "'");
        }
    }

    /** An id as an admin writes it: letters in either case, kept in lower case (base 36 knows no case). */
    public static InstanceId parse(String text) {
        return new InstanceId(text == null ? null : text.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * The default: four base-36 characters of a SHA-256 over what keeps instances apart. The
     * machine name differs between hosts, and between containers, each of which has its own;
     * two instances on one host (or host-network containers sharing its name) cannot listen on
     * the same addresses, and two test gateways in one JVM read different config files. The same
     * for every start of one instance, so its id means something to the admin who reads it.
     *
     * @param machineName the host name of the machine or container, as {@code hostname} prints it
     * @param configFile the absolute path of conf/mxgate.yml
     * @param listenAddresses every listener's {@code listen}, in the file's order
     */
    public static InstanceId derive(String machineName, String configFile, List<String> listenAddresses) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        String input = machineName + "\n" + configFile + "\n" + String.join("\n", listenAddresses);
        byte[] digest = sha256.digest(input.getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            bits = bits << 8 | (digest[i] & 0xFF);
        }
        String base36 = Long.toString(Long.remainderUnsigned(bits, DERIVED_VALUES), 36);
        return new InstanceId("0".repeat(MAX_LENGTH - base36.length()) + base36);
    }

    @Override
    public String toString() {
        return value;
    }
}
