package org.mxgate.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP response of the admin listener, before it is written: status, type, body and extra headers. */
record AdminResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {

    static final String TEXT = "text/plain; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";
    static final String JSON = "application/json";

    AdminResponse {
        headers = Map.copyOf(headers);
    }

    static AdminResponse of(HttpResponseStatus status, String contentType, String body) {
        return new AdminResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static AdminResponse text(HttpResponseStatus status, String line) {
        return of(status, TEXT, line.endsWith("\n") ? line : line + "\n");
    }

    static AdminResponse json(HttpResponseStatus status, String json) {
        return of(status, JSON, json + "\n");
    }

    /** An error in the API's form: {@code {"error": "..."}}. */
    static AdminResponse jsonError(HttpResponseStatus status, String message) {
        return json(status, new JsonWriter().beginObject().field("error", message).endObject().toString());
    }

    /** RFC 9110 15.4.4: after a form post, the browser GETs the page again, so a reload never posts twice. */
    static AdminResponse seeOther(String location) {
        return new AdminResponse(HttpResponseStatus.SEE_OTHER, TEXT, new byte[0], Map.of("Location", location));
    }

    AdminResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new AdminResponse(status, contentType, body, more);
    }
}
