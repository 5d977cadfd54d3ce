package org.mxgate.admin;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.mxgate.admin.StatusSnapshot.BackendRow;
import org.mxgate.admin.StatusSnapshot.ListenerRow;
import org.mxgate.admin.StatusSnapshot.PoolRow;
import org.mxgate.log.LogText;
import org.mxgate.shared.InstanceView;

/**
 * The status as a compact text table for a terminal ({@code mxgate status}): the health line,
 * the instance id, then listeners, then backends, then (with shared state) the live instances,
 * this one starred, and the backends each sees in a state other than up. Names are escaped as in the log, so a
 * config-defined name cannot move the cursor or forge a line. Pure.
 */
final class StatusTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private StatusTable() {
    }

    static String render(StatusSnapshot status) {
        StringBuilder out = new StringBuilder();
        out.append("mxgate ").append(LogText.escape(status.hostname())).append(": ")
                .append(status.health().isOk() ? "healthy" : "UNHEALTHY: " + LogText.escape(status.health().reason()))
                .append('\n');
        out.append("instance ").append(LogText.escape(status.instance())).append("\n\n");
        List<String[]> listeners = new ArrayList<>();
        listeners.add(new String[] {"LISTENER", "ADDRESS", "SESSIONS", "ACCEPTED/1H", "REFUSED/1H"});
        for (ListenerRow l : status.listeners()) {
            listeners.add(new String[] {LogText.escape(l.name()), LogText.escape(l.address()), num(l.sessions()),
                num(l.acceptedLastHour()), num(l.refusedTotal())});
        }
        table(out, listeners, false, false, true, true, true);
        out.append('\n');
        List<String[]> backends = new ArrayList<>();
        backends.add(new String[] {"POOL/BACKEND", "ADDRESS", "STATE", "SINCE (UTC)", "IN FLIGHT", "LAST HOUR", "LAST PROBE"});
        for (PoolRow pool : status.pools()) {
            for (BackendRow b : pool.backends()) {
                backends.add(new String[] {LogText.escape(pool.name() + "/" + b.name()), LogText.escape(b.address()),
                    b.state().name().toLowerCase(Locale.ROOT),
                    TIME.format(b.since()) + " (" + StatusPage.ago(Duration.between(b.since(), status.now())) + ")",
                    num(b.inFlight()), num(b.lastHour()), probe(b)});
            }
        }
        table(out, backends, false, false, false, false, true, true, false);
        if (status.peers() != null) {
            out.append('\n');
            List<String[]> instances = new ArrayList<>();
            instances.add(new String[] {"INSTANCE", "NAME", "SESSIONS", "SEES (NOT UP)"});
            for (InstanceView view : status.peers().alive()) {
                String notUp = view.backends().stream().filter(seen -> !seen.state().equals("up"))
                        .map(seen -> LogText.escape(seen.pool() + "/" + seen.backend()) + " " + LogText.escape(seen.state()))
                        .collect(Collectors.joining(", "));
                instances.add(new String[] {LogText.escape(view.instanceId())
                    + (view.name().equals(status.peers().self()) ? " *" : ""), LogText.escape(view.name()),
                    view.sessions() < 0 ? "?" : num(view.sessions()), notUp.isEmpty() ? "all up" : notUp});
            }
            table(out, instances, false, false, true, false);
        }
        if (status.lastChange() != null) {
            StatusSnapshot.Change c = status.lastChange();
            out.append("\nlast change: ").append(c.action()).append(' ').append(LogText.escape(c.pool() + "/" + c.backend()))
                    .append(" at ").append(TIME.format(c.at())).append(" UTC from ").append(c.from()).append('\n');
        }
        return out.toString();
    }

    private static String probe(BackendRow b) {
        if (b.lastProbe() == null) {
            return "-";
        }
        return b.lastProbe().latency().toMillis() + " ms " + (b.lastProbe().passed() ? "" : "FAILED ")
                + LogText.escape(b.lastProbe().reply());
    }

    private static String num(long n) {
        return Long.toString(n);
    }

    /** Columns padded to their widest cell; numbers ({@code right}) right-aligned. */
    private static void table(StringBuilder out, List<String[]> rows, boolean... right) {
        int[] widths = new int[right.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(widths[i] - row[i].length());
                line.append(i == 0 ? "" : "  ").append(right[i] ? pad + row[i] : row[i] + pad);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
