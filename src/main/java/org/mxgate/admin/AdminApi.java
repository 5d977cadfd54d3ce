package org.mxgate.admin;

import static io.netty.handler.codec.http.HttpResponseStatus.FORBIDDEN;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;
import static io.netty.handler.codec.http.HttpResponseStatus.UNAUTHORIZED;
import static io.netty.handler.codec.http.HttpResponseStatus.UNPROCESSABLE_ENTITY;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.mxgate.backend.Backend;
import org.mxgate.backend.BackendPool;
import org.mxgate.config.ConfigError;
import org.mxgate.log.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener's routes, from a request to a response: the status page, {@code /healthz},
 * {@code /metrics}, the JSON API and its three changes and the reload. A change needs the token
 * ({@link BearerToken}); every refusal and every change is logged with the peer's address. Runs
 * on the admin event loop; only the reload, which reads files, goes to its own thread.
 */
final class AdminApi {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final String BACKENDS = "/api/backends/";

    private final StatusSource source;
    private final BearerToken token;
    private final Supplier<String> metrics;
    private final Executor reloads;

    /** @param reloads where a reload runs: it reads and checks files, never on an event loop */
    AdminApi(StatusSource source, BearerToken token, Supplier<String> metrics, Executor reloads) {
        this.source = source;
        this.token = token;
        this.metrics = metrics;
        this.reloads = reloads;
    }

    CompletableFuture<AdminResponse> handle(AdminRequest request) {
        String path = request.path();
        if (path.startsWith(BACKENDS) || path.equals("/api/reload")) {
            if (!request.method().equals("POST")) {
                return done(notAllowed("POST"));
            }
            return path.equals("/api/reload") ? reload(request) : done(change(request, path.substring(BACKENDS.length())));
        }
        if (!request.isRead()) {
            return done(known(path) ? notAllowed("GET, HEAD") : AdminResponse.text(NOT_FOUND, "not found"));
        }
        return done(switch (path) {
            case "/" -> AdminResponse.of(OK, AdminResponse.HTML, StatusPage.render(source.snapshot(),
                    !"off".equals(request.query("refresh")))).withHeader("Content-Security-Policy",
                    StatusPage.CONTENT_SECURITY_POLICY);
            case "/healthz" -> healthz();
            case "/metrics" -> AdminResponse.of(OK, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
            case "/api/backends" -> AdminResponse.json(OK, StatusJson.backends(source.snapshot()));
            case "/api/status" -> request.wantsText() ? AdminResponse.of(OK, AdminResponse.TEXT,
                    StatusTable.render(source.snapshot())) : AdminResponse.json(OK, StatusJson.status(source.snapshot()));
            default -> AdminResponse.text(NOT_FOUND, "not found");
        });
    }

    private static boolean known(String path) {
        return List.of("/", "/healthz", "/metrics", "/api/backends", "/api/status").contains(path);
    }

    /** 200 {@code ok}, or 503 and the one-line reason, for load balancers (GatewayHealth). */
    private AdminResponse healthz() {
        GatewayHealth health = source.health();
        return AdminResponse.text(health.isOk() ? OK : SERVICE_UNAVAILABLE, LogText.escape(health.reason()));
    }

    /** {@code POOL/NAME/ACTION}, each segment percent-encoded. */
    private AdminResponse change(AdminRequest request, String rest) {
        AdminResponse refused = refusal(request);
        if (refused != null) {
            return refused;
        }
        String[] parts = rest.split("/", -1);
        String pool;
        String name;
        try {
            pool = parts.length == 3 ? PathSegment.decode(parts[0]) : null;
            name = parts.length == 3 ? PathSegment.decode(parts[1]) : null;
        } catch (IllegalArgumentException e) {
            return error(request, NOT_FOUND, e.getMessage());
        }
        String action = parts.length == 3 ? parts[2] : "";
        if (pool == null || !List.of("drain", "halt", "enable").contains(action)) {
            return error(request, NOT_FOUND, "expected /api/backends/POOL/NAME/drain, halt or enable");
        }
        BackendPool target = source.gateway().pool(pool);
        Backend backend = target == null ? null
                : target.backends().stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
        if (backend == null) {
            return error(request, NOT_FOUND, target == null ? "no pool " + pool : "pool " + pool + " has no backend " + name);
        }
        switch (action) {
            case "drain" -> target.drain(name);
            case "halt" -> target.halt(name);
            default -> target.enable(name);
        }
        LOG.info("admin: {} backend {} of pool {}, from {}", action, LogText.escape(name), LogText.escape(pool),
                request.from());
        source.changed(new StatusSnapshot.Change(action, pool, name, request.from(), Instant.now()));
        return changed(request, pool, source.row(pool, backend));
    }

    /** The page's form goes back to the page; a script gets the backend as it stands now. */
    private static AdminResponse changed(AdminRequest request, String pool, StatusSnapshot.BackendRow row) {
        if (request.isForm()) {
            return AdminResponse.seeOther("/");
        }
        if (request.wantsText()) {
            return AdminResponse.text(OK, LogText.escape(pool + "/" + row.name()) + ": "
                    + row.state().name().toLowerCase(Locale.ROOT) + ", " + row.inFlight() + " in flight");
        }
        return AdminResponse.json(OK, StatusJson.backend(pool, row));
    }

    /** Reads the policies (the configuration) again, off the event loop. */
    private CompletableFuture<AdminResponse> reload(AdminRequest request) {
        AdminResponse refused = refusal(request);
        if (refused != null) {
            return done(refused);
        }
        LOG.info("admin: reload, from {}", request.from());
        return CompletableFuture.supplyAsync(() -> source.gateway().reload(), reloads).thenApply(result -> {
            List<ConfigError> errors = result.errors();
            if (request.wantsText()) {
                StringBuilder text = new StringBuilder(errors.isEmpty() ? "reloaded\n" : "refused; still running the previous files\n");
                errors.forEach(e -> text.append(LogText.escape(e.toString())).append('\n'));
                result.notes().forEach(n -> text.append(LogText.escape(n)).append('\n'));
                return AdminResponse.of(errors.isEmpty() ? OK : UNPROCESSABLE_ENTITY, AdminResponse.TEXT, text.toString());
            }
            JsonWriter json = new JsonWriter().beginObject().field("reloaded", errors.isEmpty()).name("errors").beginArray();
            for (ConfigError error : errors) {
                json.value(error.toString());
            }
            json.endArray().name("notes").beginArray();
            for (String note : result.notes()) {
                json.value(note);
            }
            return AdminResponse.json(errors.isEmpty() ? OK : UNPROCESSABLE_ENTITY, json.endArray().endObject().toString());
        });
    }

    /**
     * Null when the request carries the token; otherwise the refusal, logged: 401 with
     * {@code WWW-Authenticate: Bearer} (RFC 6750 3) for a missing or wrong token, 403 when no token
     * file is configured, since then no token could help.
     */
    private AdminResponse refusal(AdminRequest request) {
        BearerToken.Access access = token.check(request.authorization(), request.formToken());
        switch (access) {
            case GRANTED -> {
                return null;
            }
            case READ_ONLY -> {
                LOG.warn("admin: refused {} {} from {}: no admin.token_file is configured, the API is read-only",
                        request.method(), LogText.escape(request.path()), request.from());
                return error(request, FORBIDDEN, "read-only: no admin.token_file is configured");
            }
            default -> {
                String why = access == BearerToken.Access.MISSING ? "no token" : "wrong token";
                LOG.warn("admin: refused {} {} from {}: {}", request.method(), LogText.escape(request.path()),
                        request.from(), why);
                return error(request, UNAUTHORIZED, why + (request.isForm() ? ": type the contents of admin.token_file into"
                        + " the token field" : ": send Authorization: Bearer <the token in admin.token_file>"))
                        .withHeader("WWW-Authenticate", access == BearerToken.Access.MISSING ? "Bearer realm=\"mxgate\""
                                : "Bearer realm=\"mxgate\", error=\"invalid_token\"");
            }
        }
    }

    /** An error as the asker reads it: a small page for the status page's forms, JSON or a line otherwise. */
    private static AdminResponse error(AdminRequest request, io.netty.handler.codec.http.HttpResponseStatus status,
                                       String message) {
        if (request.isForm()) {
            return AdminResponse.of(status, AdminResponse.HTML, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset="
                    + "\"utf-8\"><title>mxgate: " + status.code() + "</title></head><body><p>" + Html.escape(message)
                    + "</p><p><a href=\"/\">Back to the status page</a></p></body></html>\n");
        }
        return request.wantsText() ? AdminResponse.text(status, LogText.escape(message))
                : AdminResponse.jsonError(status, message);
    }

    private static AdminResponse notAllowed(String allow) {
        return AdminResponse.text(METHOD_NOT_ALLOWED, "method not allowed").withHeader("Allow", allow);
    }

    private static CompletableFuture<AdminResponse> done(AdminResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
