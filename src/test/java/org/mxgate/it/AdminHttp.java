package org.mxgate.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Requests to a gateway's admin listener, as curl would send them, and the token file they need. */
final class AdminHttp {

    static final String TOKEN = "3f1c0d9e8b7a6f5e4d3c2b1a09f8e7d6";

    record Answer(int status, String body, HttpResponse<String> response) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    AdminHttp(int port) {
        this.port = port;
    }

    /** A token file in {@code dir} and the admin block naming it, on a port the system chooses. */
    static String adminBlock(Path dir) throws IOException {
        return adminBlock(dir, 0);
    }

    /** The same on {@code port}: for the command line, which reads the port from the config. */
    static String adminBlock(Path dir, int port) throws IOException {
        Path token = dir.resolve("admin.token");
        Files.writeString(token, TOKEN + "\n");
        return "admin: { listen: \"127.0.0.1:" + port + "\", token_file: \"" + token + "\" }\n";
    }

    /** A loopback port free a moment ago. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A POST with {@code Authorization: Bearer token}, or none when the token is null. */
    Answer post(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    /** Bytes written as they are (for headers the JDK client will not send) and everything read until the server closes. */
    String raw(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
