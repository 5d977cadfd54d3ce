package org.mxgate.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import org.mxgate.config.AdminConfig;
import org.mxgate.config.ConfigError;
import org.mxgate.config.ConfigException;
import org.mxgate.config.ConfigLoader;
import org.mxgate.config.GatewayConfig;
import org.mxgate.config.TokenFile;
import org.mxgate.net.HostPort;

/**
 * How {@code mxgate status} and {@code mxgate backend} reach a running gateway: its admin
 * listener and token, read from the same config file it runs with, over the JDK's HTTP client.
 * Every way of failing becomes a {@link Failure} with the sentence to print and the exit code:
 * {@value #REFUSED} the gateway refused, {@value #CANNOT_ASK} the config does not say how to ask,
 * {@value #NOT_RUNNING} no gateway answers.
 */
final class AdminClient {

    static final int REFUSED = 1;
    static final int CANNOT_ASK = 2;
    static final int NOT_RUNNING = 3;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A reload reads and checks every file; far below this. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    /** What went wrong, as one line for the terminal, and the exit code. */
    static final class Failure extends Exception {
        private final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    record Answer(int status, String body) {
    }

    private final URI base;
    private final Path tokenFile;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    private AdminClient(URI base, Path tokenFile, String token) {
        this.base = base;
        this.tokenFile = tokenFile;
        this.token = token;
    }

    static AdminClient of(Path configFile) throws Failure {
        GatewayConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            StringBuilder errors = new StringBuilder("cannot read " + configFile + ":");
            for (ConfigError error : e.errors()) {
                errors.append(System.lineSeparator()).append(error);
            }
            throw new Failure(CANNOT_ASK, errors.toString());
        }
        AdminConfig admin = config.admin();
        if (admin == null) {
            throw new Failure(CANNOT_ASK, config.file() + " has no admin block, so the gateway has no admin listener to"
                    + " ask; add admin: { listen: \"127.0.0.1:8025\" } and restart it");
        }
        String token = null;
        if (admin.tokenFile() != null) {
            try {
                token = TokenFile.read(admin.tokenFile());
            } catch (IOException | IllegalArgumentException e) {
                throw new Failure(CANNOT_ASK, "cannot read admin.token_file " + admin.tokenFile() + ": " + e.getMessage());
            }
        }
        return new AdminClient(URI.create("http://" + reachable(admin.listen())), admin.tokenFile(), token);
    }

    /** A wildcard listen address is reached on loopback. */
    private static String reachable(HostPort listen) {
        String host = switch (listen.host()) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "0:0:0:0:0:0:0:0" -> "::1";
            default -> listen.host();
        };
        return new HostPort(host, listen.port()).toString();
    }

    Answer get(String path) throws Failure {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** A change: with the token, when the config names one. */
    Answer post(String path) throws Failure {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    /** The sentence for a refusal of a change: what the status means here. */
    Failure refusal(Answer answer) {
        String body = answer.body().strip();
        return switch (answer.status()) {
            case 401 -> new Failure(REFUSED, tokenFile == null
                    ? "the gateway wants a token (401), and this config names no admin.token_file"
                    : "the gateway refused the token in " + tokenFile + " (401): is it the token the gateway started with?");
            case 403 -> new Failure(REFUSED, "the gateway refused the change (403): " + body
                    + (tokenFile == null ? "" : "; it runs without admin.token_file: restart it to use " + tokenFile));
            default -> new Failure(REFUSED, "the gateway answered " + answer.status() + ": " + body);
        };
    }

    private Answer send(HttpRequest.Builder request) throws Failure {
        try {
            HttpResponse<String> response = http.send(request.timeout(ANSWER_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            throw new Failure(NOT_RUNNING, "no answer from the admin listener at " + base + " within "
                    + ANSWER_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new Failure(NOT_RUNNING, "cannot connect to the admin listener at " + base
                    + ": is the gateway running with this config?");
        } catch (IOException e) {
            throw new Failure(NOT_RUNNING, "the admin listener at " + base + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(NOT_RUNNING, "interrupted");
        }
    }
}
