package org.mxgate.admin;

import java.util.ArrayDeque;
import java.util.Deque;
import org.mxgate.log.JsonText;

/**
 * Writes one JSON text (RFC 8259) by hand: objects, arrays, strings, numbers, booleans and null,
 * with the commas in their places. Strings are escaped as section 7 requires, and a little more:
 * every control character, U+2028 and U+2029 (line ends to JavaScript) and {@code <}, {@code >}
 * and {@code &} become {@code \\uXXXX}, so no config-defined name can end a script or break a
 * reader; a lone surrogate becomes U+FFFD. Not thread-safe; one writer per response.
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    // One entry per open object or array: whether a value has been written in it yet.
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        open.push(new boolean[1]);
        return this;
    }

    JsonWriter endObject() {
        open.pop();
        out.append('}');
        return this;
    }

    JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        open.push(new boolean[1]);
        return this;
    }

    JsonWriter endArray() {
        open.pop();
        out.append(']');
        return this;
    }

    /** The name of the next member of the object being written. */
    JsonWriter name(String name) {
        beforeValue();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    /** A string, or null. */
    JsonWriter value(String text) {
        beforeValue();
        if (text == null) {
            out.append("null");
        } else {
            string(text);
        }
        return this;
    }

    JsonWriter value(long number) {
        beforeValue();
        out.append(number);
        return this;
    }

    JsonWriter value(boolean bool) {
        beforeValue();
        out.append(bool);
        return this;
    }

    /** A member {@code "name": "text"}. */
    JsonWriter field(String name, String text) {
        return name(name).value(text);
    }

    JsonWriter field(String name, long number) {
        return name(name).value(number);
    }

    JsonWriter field(String name, boolean bool) {
        return name(name).value(bool);
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] written = open.peek();
        if (written != null) {
            if (written[0]) {
                out.append(',');
            }
            written[0] = true;
        }
    }

    private void string(String text) {
        JsonText.quote(out, text, true);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
