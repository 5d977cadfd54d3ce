package org.mxgate.smtp;

import java.util.Map;

/**
 * The argument of MAIL FROM or RCPT TO split into the path in angle brackets and the ESMTP
 * parameters, keys in upper case (a parameter without a value maps to the empty string).
 */
public record PathArgument(String path, Map<String, String> parameters) {

    public PathArgument {
        // In the order the client wrote them, so the first bad one is the one refused, every run
        // alike (Map.copyOf's order changes from one JVM start to the next).
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }
}
