package org.mxgate.smtp;

import java.util.Map;

/**
 * The argument of MAIL FROM or RCPT TO split into the path in angle brackets and the ESMTP
 * parameters, keys in upper case (a parameter without a value maps to the empty string).
 */
public record PathArgument(String path, Map<String, String> parameters) {

    public PathArgument {
        parameters = Map.copyOf(parameters);
    }
}
