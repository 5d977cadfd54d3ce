package org.mxgate.mail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One SMTP reply: a three-digit code, an RFC 3463 enhanced status (absent where RFC 2034 says
 * it does not belong, as in the greeting and EHLO) and one or more text lines.
 */
public record Reply(int code, String status, List<String> lines) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
    }

    public static Reply of(int code, String status, String text) {
        return new Reply(code, status, List.of(text));
    }

    /** A reply read from a backend: the enhanced status, when the first line has one, is split off. */
    public static Reply parse(int code, List<? extends CharSequence> details) {
        if (details.isEmpty()) {
            return new Reply(code, null, List.of(""));
        }
        List<String> texts = new ArrayList<>(details.size());
        for (CharSequence detail : details) {
            texts.add(detail.toString());
        }
        String first = texts.get(0);
        int length = statusLength(first);
        if (length == 0) {
            return new Reply(code, null, texts);
        }
        String status = first.substring(0, length);
        List<String> stripped = new ArrayList<>(texts.size());
        for (String line : texts) {
            // Later lines lose the status only when they repeat the first line's.
            boolean same = statusLength(line) == length && line.startsWith(status);
            stripped.add(!same ? line : line.length() == length ? "" : line.substring(length + 1));
        }
        return new Reply(code, status, stripped);
    }

    /**
     * The length of the RFC 3463 status that starts {@code line} ({@code 4.3.1}: class 2, 4 or
     * 5, then one to three ASCII digits twice), when a space or the line's end follows it and
     * the rest holds no line terminator; 0 otherwise. By hand rather than a regular expression:
     * every backend reply passes here.
     */
    static int statusLength(String line) {
        int n = line.length();
        if (n < 5 || "245".indexOf(line.charAt(0)) < 0 || line.charAt(1) != '.') {
            return 0;
        }
        int subject = digits(line, 2);
        if (subject == 0 || subject >= n || line.charAt(subject) != '.') {
            return 0;
        }
        int end = digits(line, subject + 1);
        if (end == 0 || end < n && line.charAt(end) != ' ') {
            return 0;
        }
        for (int i = end; i < n; i++) {
            char c = line.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return 0;
            }
        }
        return end;
    }

    /** Where one to three ASCII digits from {@code from} end, or 0 when there is none. */
    private static int digits(String line, int from) {
        int i = from;
        while (i < line.length() && i - from < 3 && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
            i++;
        }
        return i == from ? 0 : i;
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The first line without code and status: what goes into logs and into our own replies. */
    public String text() {
        return lines.get(0);
    }

    /** This reply with another first line of text, keeping code and status. */
    public Reply withText(String text) {
        return of(code, status, text);
    }

    /** The reply as it goes on the wire: `code-` on every line but the last, `code ` on the last. */
    public String wire() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (status != null) {
                out.append(status).append(' ');
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString();
    }

    public byte[] wireBytes() {
        return wire().getBytes(StandardCharsets.UTF_8);
    }

    /** The one-line form for logs: `250 2.0.0 Ok`. */
    @Override
    public String toString() {
        return code + (status == null ? "" : " " + status) + " " + text();
    }
}
