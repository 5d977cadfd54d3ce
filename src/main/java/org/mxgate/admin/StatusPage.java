package org.mxgate.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.mxgate.admin.StatusSnapshot.BackendRow;
import org.mxgate.admin.StatusSnapshot.ListenerRow;
import org.mxgate.admin.StatusSnapshot.PoolRow;
import org.mxgate.backend.Backend;
import org.mxgate.shared.InstanceView;
import org.mxgate.shared.Peers;

/**
 * The status page: one HTML document, read at a glance, from a {@link StatusSnapshot}. Health
 * first, then the listeners, the instances sharing state (if any), then each pool's backends with their state, last probe, load and a
 * chart of the last hour. Drain, halt and enable are plain form buttons that post to the API with
 * the token typed into the page, so it works without JavaScript; a small inline script only keeps
 * the token for the browser tab and holds the refresh while it is typed. Every config-defined
 * string is escaped; no external asset. Pure.
 */
final class StatusPage {

    static final int REFRESH_SECONDS = 5;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    static final String STYLE = """
            :root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--info:#0969da;--off:#6e7781;--line:#d0d7de;--muted:#57606a}
            *{box-sizing:border-box}
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
            header{background:#fff;border-bottom:1px solid var(--line);padding:12px 24px;display:flex;flex-wrap:wrap;align-items:center;gap:6px 20px}
            h1{font-size:20px;margin:0}
            h1 .host{font-weight:400;color:var(--muted)}
            main{padding:8px 24px 24px;max-width:1400px}
            h2{font-size:16px;margin:20px 0 8px}
            h2 .muted{font-weight:400;margin-left:8px}
            table{border-collapse:collapse;background:#fff;border:1px solid var(--line);width:100%;table-layout:fixed}
            th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
            th{font-size:12px;font-weight:600;color:var(--muted);background:#f6f8fa;white-space:nowrap}
            .num{text-align:right;font-variant-numeric:tabular-nums}
            .w-name{width:14%}.w-address{width:18%}.w-count{width:12%}.w-state{width:100px}.w-since{width:184px}
            .w-flight{width:76px}.w-chart{width:272px}.w-actions{width:220px}
            .nowrap{white-space:nowrap}
            .muted{color:var(--muted);font-size:12px}
            .name{font-weight:600}
            .badge{display:inline-block;min-width:72px;text-align:center;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
            .up{background:var(--ok)}.down{background:var(--bad)}.pressure{background:var(--warn)}.draining{background:var(--info)}.halted{background:var(--off)}
            .health{padding:3px 12px;border-radius:6px;font-weight:600}
            .health.ok{background:#dafbe1;color:var(--ok)}.health.bad{background:#ffebe9;color:var(--bad)}
            .probe{overflow-wrap:anywhere}
            .failed{color:var(--bad)}
            svg.chart{display:block;background:#fff}
            svg.chart .plot{fill:#f6f8fa}svg.chart .bar{fill:var(--info)}svg.chart .base{stroke:var(--line)}
            .axis{display:flex;justify-content:space-between;width:240px;font-size:11px;color:var(--muted)}
            .controls{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;margin:12px 0 0}
            input[type=password]{font:inherit;padding:3px 8px;border:1px solid var(--line);border-radius:6px;width:22em}
            button{font:inherit;font-size:13px;padding:2px 10px;margin:0 4px 4px 0;border:1px solid var(--line);border-radius:6px;background:#f6f8fa;cursor:pointer}
            button:hover:enabled{background:#eaeef2}
            button:disabled{opacity:.4;cursor:default}
            .note{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 12px;margin:12px 0 0}
            .wide{overflow-x:auto}table.instances{table-layout:auto}
            """;

    static final String SCRIPT = """
            (function () {
              var token = document.getElementById('token');
              var key = 'mxgate-admin-token';
              if (token) {
                try { if (!token.value) { token.value = sessionStorage.getItem(key) || ''; } } catch (e) { }
                token.addEventListener('input', function () {
                  try { sessionStorage.setItem(key, token.value); } catch (e) { }
                });
              }
              var every = Number(document.body.getAttribute('data-refresh'));
              if (every > 0) {
                setInterval(function () {
                  if (!token || document.activeElement !== token) { location.replace(location.pathname + location.search); }
                }, every * 1000);
              }
            })();
            """;

    /** The Content-Security-Policy of the page: nothing but its own inline style and script, forms to itself. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE) + "'; script-src '"
            + sha256(SCRIPT) + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private StatusPage() {
    }

    /** @param refresh whether the page reloads itself every few seconds */
    static String render(StatusSnapshot status, boolean refresh) {
        StringBuilder out = new StringBuilder(32 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(status.health().isOk() ? "" : "\u26a0 ").append("mxgate ").append(Html.escape(status.hostname()))
                .append(" (").append(Html.escape(status.instance())).append(")</title>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        if (refresh) {
            out.append("<noscript><meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\"></noscript>\n");
        }
        out.append("<style>").append(STYLE).append("</style>\n</head>\n<body data-refresh=\"")
                .append(refresh ? REFRESH_SECONDS : 0).append("\">\n");
        header(out, status, refresh);
        out.append("<main>\n");
        if (status.notice() != null) {
            out.append("<p class=\"note\" data-notice=\"shared-state\">").append(Html.escape(status.notice())).append("</p>\n");
        }
        listeners(out, status);
        instances(out, status);
        pools(out, status);
        out.append("</main>\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return out.toString();
    }

    private static void header(StringBuilder out, StatusSnapshot status, boolean refresh) {
        out.append("<header><h1>mxgate <span class=\"host\">").append(Html.escape(status.hostname()))
                // Which instance this page is from: each sees the backends through its own probes and sessions.
                .append(" · instance <span data-instance=\"").append(Html.escape(status.instance())).append("\">")
                .append(Html.escape(status.instance())).append("</span></span></h1>\n");
        GatewayHealth health = status.health();
        out.append("<span class=\"health ").append(health.isOk() ? "ok\">Healthy" : "bad\">Unhealthy: "
                + Html.escape(health.reason())).append("</span>\n");
        out.append("<span class=\"muted\">as of ").append(TIME.format(status.now())).append(" UTC · ");
        if (refresh) {
            out.append("refreshes every ").append(REFRESH_SECONDS).append(" s · <a href=\"/?refresh=off\">pause</a>");
        } else {
            out.append("refresh paused · <a href=\"/\">resume</a>");
        }
        out.append(" · <a href=\"/healthz\">healthz</a> · <a href=\"/metrics\">metrics</a> · <a href=\"/api/status\">json</a>")
                .append("</span></header>\n");
    }

    private static void listeners(StringBuilder out, StatusSnapshot status) {
        out.append("<h2>Listeners</h2>\n<table class=\"listeners\"><thead><tr><th class=\"w-name\">listener</th>")
                .append("<th class=\"w-address\">address</th><th class=\"num w-count\">sessions now</th>")
                .append("<th class=\"num w-count\">accepted, last hour</th><th class=\"num w-count\">refused, last hour</th>")
                .append("<th>refused by reason</th></tr></thead><tbody>\n");
        for (ListenerRow listener : status.listeners()) {
            out.append("<tr data-listener=\"").append(Html.escape(listener.name())).append("\"><td class=\"name\">")
                    .append(Html.escape(listener.name())).append("</td><td>").append(Html.escape(listener.address()))
                    .append("</td><td class=\"num\">").append(listener.sessions()).append("</td><td class=\"num\">")
                    .append(listener.acceptedLastHour()).append("</td><td class=\"num\">").append(listener.refusedTotal())
                    .append("</td><td>").append(reasons(listener.refusedLastHour())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    /**
     * With shared state: every instance alive at the last heartbeat, one row each, and the state
     * each sees every backend in, one column per backend, so an instance that disagrees stands out.
     */
    private static void instances(StringBuilder out, StatusSnapshot status) {
        Peers peers = status.peers();
        if (peers == null) {
            return;
        }
        out.append("<h2>Instances<span class=\"muted\">sharing state on Redis · ").append(peers.alive().size())
                .append(" alive").append(peers.at() == null ? ", Redis not reached yet" : " as of "
                        + TIME.format(peers.at()) + " UTC (each heartbeat)").append("</span></h2>\n");
        Map<String, String[]> columns = new LinkedHashMap<>();
        for (InstanceView view : peers.alive()) {
            for (InstanceView.BackendSeen seen : view.backends()) {
                columns.putIfAbsent(seen.pool() + "\u0000" + seen.backend(), new String[] {seen.pool(), seen.backend()});
            }
        }
        out.append("<div class=\"wide\"><table class=\"instances\"><thead><tr><th>instance</th>")
                .append("<th class=\"num\">sessions now</th>");
        for (String[] column : columns.values()) {
            out.append("<th>").append(Html.escape(column[1])).append("<br><span class=\"muted\">pool ")
                    .append(Html.escape(column[0])).append("</span></th>");
        }
        out.append("</tr></thead><tbody>\n");
        for (InstanceView view : peers.alive()) {
            boolean self = view.name().equals(peers.self());
            out.append("<tr data-instance-name=\"").append(Html.escape(view.name())).append("\"><td><span class=\"name\">")
                    .append(Html.escape(view.instanceId())).append("</span>").append(self ? " (this page)" : "")
                    .append("<br><span class=\"muted\">").append(Html.escape(view.name())).append("</span></td>")
                    .append("<td class=\"num\">").append(view.sessions() < 0 ? "?" : Integer.toString(view.sessions()))
                    .append("</td>");
            Map<String, String> states = new LinkedHashMap<>();
            view.backends().forEach(seen -> states.put(seen.pool() + "\u0000" + seen.backend(), seen.state()));
            for (Map.Entry<String, String[]> column : columns.entrySet()) {
                String state = states.get(column.getKey());
                out.append("<td data-sees=\"").append(Html.escape(column.getValue()[0] + "/" + column.getValue()[1]))
                        .append("\">").append(state == null ? "<span class=\"muted\">not configured</span>"
                                : "<span class=\"badge state " + Html.escape(state) + "\">" + Html.escape(state) + "</span>")
                        .append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody></table></div>\n");
    }

    private static String reasons(Map<String, Long> refused) {
        if (refused.values().stream().allMatch(n -> n == 0)) {
            return "<span class=\"muted\">none</span>";
        }
        StringBuilder out = new StringBuilder();
        refused.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.append(out.length() == 0 ? "" : " · ").append(Html.escape(e.getKey())).append(' ')
                        .append(e.getValue()));
        return out.toString();
    }

    private static void pools(StringBuilder out, StatusSnapshot status) {
        out.append("<form method=\"post\" action=\"/\" autocomplete=\"off\">\n");
        if (status.canChange()) {
            // Enter in the token field submits with the form's first button: a disabled one, so it never drains anything.
            out.append("<button type=\"submit\" disabled hidden aria-hidden=\"true\"></button>\n")
                    .append("<div class=\"controls\"><label>Admin token <input type=\"password\" id=\"token\" name=\"token\"")
                    .append(" autocomplete=\"off\" spellcheck=\"false\"></label><span class=\"muted\">the contents of")
                    .append(" admin.token_file; needed for drain, halt and enable</span></div>\n");
        } else {
            out.append("<p class=\"note\">Read-only: no <code>admin.token_file</code> is configured, so drain, halt and")
                    .append(" enable are refused (see docs/operations.md).</p>\n");
        }
        if (status.lastChange() != null) {
            StatusSnapshot.Change change = status.lastChange();
            out.append("<p class=\"note\">Last change: <b>").append(Html.escape(change.action())).append("</b> ")
                    .append(Html.escape(change.backend())).append(" of pool ").append(Html.escape(change.pool()))
                    .append(" at ").append(TIME.format(change.at())).append(" UTC from ").append(Html.escape(change.from()))
                    .append("</p>\n");
        }
        for (PoolRow pool : status.pools()) {
            pool(out, pool, status);
        }
        out.append("</form>\n");
    }

    private static void pool(StringBuilder out, PoolRow pool, StatusSnapshot status) {
        out.append("<h2>Pool ").append(Html.escape(pool.name())).append("<span class=\"muted\">")
                .append(pool.balance().toLowerCase(Locale.ROOT)).append(" · ").append(pool.lastHour())
                .append(" messages in the last hour").append(pool.routed() ? "" : " · no listener routes here")
                .append("</span></h2>\n");
        out.append("<table class=\"backends\" data-pool=\"").append(Html.escape(pool.name())).append("\"><thead><tr>")
                .append("<th class=\"w-name\">backend</th><th class=\"w-state\">state</th><th class=\"w-since\">since</th>")
                .append("<th>last probe</th><th class=\"num w-flight\">in flight</th>")
                .append("<th class=\"w-chart\">messages per minute, last hour</th>")
                .append(status.canChange() ? "<th class=\"w-actions\">actions</th>" : "")
                .append("</tr></thead><tbody>\n");
        long scale = pool.peakPerMinute();
        for (BackendRow backend : pool.backends()) {
            String state = backend.state().name().toLowerCase(Locale.ROOT);
            out.append("<tr data-backend=\"").append(Html.escape(backend.name())).append("\" data-state=\"").append(state)
                    .append("\"><td><span class=\"name\">").append(Html.escape(backend.name()))
                    .append("</span><br><span class=\"muted\">").append(Html.escape(backend.address()))
                    .append("</span><br><span class=\"muted\">weight ").append(backend.weight()).append("</span></td>");
            out.append("<td><span class=\"badge state ").append(state).append("\">").append(state).append("</span></td>");
            out.append("<td class=\"nowrap\">").append(moment(backend.since(), status.now())).append("<br><span class=\"muted\">for ")
                    .append(ago(Duration.between(backend.since(), status.now()))).append("</span></td>");
            out.append("<td class=\"probe\">").append(probe(backend.lastProbe(), pool.probed(), status.now())).append("</td>");
            out.append("<td class=\"num\">").append(backend.inFlight()).append("</td>");
            out.append("<td>").append(BarChart.svg(backend.name(), backend.perMinute(), scale))
                    .append("<div class=\"axis\"><span>60 min ago</span><span>now</span></div><span class=\"muted\">")
                    .append(share(backend, pool)).append("</span></td>");
            if (status.canChange()) {
                out.append("<td class=\"actions nowrap\">").append(buttons(pool.name(), backend)).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    private static String probe(Backend.Probe probe, boolean probed, Instant now) {
        if (probe == null) {
            return "<span class=\"muted\">" + (probed ? "no probe yet" : "no health check in this pool") + "</span>";
        }
        return "<span" + (probe.passed() ? "" : " class=\"failed\"") + ">" + Html.escape(probe.reply())
                + "</span><br><span class=\"muted\">" + probe.latency().toMillis() + " ms · "
                + ago(Duration.between(probe.at(), now)) + " ago</span>";
    }

    private static String share(BackendRow backend, PoolRow pool) {
        long total = pool.lastHour();
        long peak = java.util.Arrays.stream(backend.perMinute()).max().orElse(0);
        return backend.lastHour() + " in the last hour" + (total == 0 ? "" : " · " + Math.round(100.0 * backend.lastHour()
                / total) + " % of the pool") + (peak == 0 ? "" : "<br>peak " + peak + "/min");
    }

    /** Drain, halt, enable: each a submit button posting the form (and its token) to its own API path. */
    private static String buttons(String pool, BackendRow backend) {
        String base = "/api/backends/" + PathSegment.encode(pool) + "/" + PathSegment.encode(backend.name()) + "/";
        Backend.State state = backend.state();
        return button(base, "drain", "Drain", state == Backend.State.DRAINING || state == Backend.State.HALTED)
                + button(base, "halt", "Halt", state == Backend.State.HALTED)
                + button(base, "enable", "Enable", state != Backend.State.DRAINING && state != Backend.State.HALTED);
    }

    private static String button(String base, String action, String label, boolean disabled) {
        return "<button type=\"submit\" name=\"action\" value=\"" + action + "\" formaction=\"" + Html.escape(base + action)
                + "\"" + (disabled ? " disabled" : "") + ">" + label + "</button>";
    }

    private static String moment(Instant at, Instant now) {
        return (Duration.between(at, now).toHours() < 20 ? TIME.format(at) : DATE_TIME.format(at)) + " UTC";
    }

    /** A duration as a person says it: 42 s, 7 min, 3 h 5 min, 2 days. */
    static String ago(Duration elapsed) {
        long seconds = Math.max(0, elapsed.getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 48 * 3600) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        return seconds / 86400 + " days";
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
