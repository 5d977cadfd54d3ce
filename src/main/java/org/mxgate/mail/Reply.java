package org.mxgate.mail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply: a three-digit code, an RFC 3463 enhanced status (absent where RFC 2034 says
 * it does not belong, as in the greeting and EHLO) and one or more text lines.
 */
public record Reply(int code, String status, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?: (.*))?$");

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
        List<String> texts = details.stream().map(CharSequence::toString).toList();
        Matcher m = ENHANCED.matcher(texts.get(0));
        if (!m.matches()) {
            return new Reply(code, null, texts);
        }
        String status = m.group(1);
        List<String> stripped = texts.stream().map(line -> {
            Matcher each = ENHANCED.matcher(line);
            return each.matches() && status.equals(each.group(1)) && each.group(2) != null ? each.group(2)
                    : each.matches() && status.equals(each.group(1)) ? "" : line;
        }).toList();
        return new Reply(code, status, stripped);
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
