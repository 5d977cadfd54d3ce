package org.mxgate.admin;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;

/**
 * What the API reads of one HTTP request, copied out of Netty's buffers before they are released.
 *
 * @param authorization the Authorization header, or null
 * @param contentType the Content-Type header, or null
 * @param from the peer's address and port, for the log
 */
record AdminRequest(String method, String uri, String authorization, String contentType, String body, String from) {

    /** The path without the query, as sent (still percent-encoded). */
    String path() {
        return new QueryStringDecoder(uri).rawPath();
    }

    /** A query parameter's first value, or null. */
    String query(String name) {
        List<String> values = new QueryStringDecoder(uri).parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    boolean isRead() {
        return method.equals("GET") || method.equals("HEAD");
    }

    /** Sent by the status page's form rather than by a script. */
    boolean isForm() {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** The form's {@code token} field, or null. */
    String formToken() {
        if (!isForm()) {
            return null;
        }
        List<String> values = new QueryStringDecoder(body, false).parameters().get("token");
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** {@code ?format=text}: a line or a table for a terminal instead of JSON. */
    boolean wantsText() {
        return "text".equals(query("format"));
    }
}
