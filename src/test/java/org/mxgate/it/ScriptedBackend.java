package org.mxgate.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket backend that misbehaves in ways SubEthaSMTP cannot: it drops the connection in
 * the middle of DATA, drops it after the final dot without a reply (the RFC 1047 window),
 * greets with 421, answers the DATA command itself with 554 or 451, or (DROP_WHEN_REUSED)
 * delivers one message per connection and closes it silently when a second MAIL comes, as a
 * backend does that dropped an idle connection the gateway still thinks is open; or
 * (SEVEN_BIT_ONLY) offers neither 8BITMIME nor SMTPUTF8, as a minimal MTA, and delivers every
 * message it is given; or (STARTTLS_THEN_CLOSE) offers STARTTLS, says 220 to it and closes the
 * connection instead of a TLS handshake; or (STALL_IN_DATA) says 354 and then reads nothing more;
 * or (HOLD_AFTER_DOT) takes the whole message and holds its reply to the final dot until the
 * test releases it, then delivers it, for a transaction kept in flight as long as a test needs.
 */
final class ScriptedBackend implements AutoCloseable {

    enum Script { DROP_IN_DATA, DROP_AFTER_DOT, GREET_421, REFUSE_DATA, TEMPFAIL_DATA, DROP_WHEN_REUSED, SEVEN_BIT_ONLY, STARTTLS_THEN_CLOSE, STALL_IN_DATA, HOLD_AFTER_DOT }

    private final Script script;

    private final LoopbackServer server;
    private final AtomicInteger dataStarted = new AtomicInteger();
    private final AtomicInteger delivered = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch dotReceived = new CountDownLatch(1);
    private final CountDownLatch dotReleased = new CountDownLatch(1);
    private final AtomicInteger openConnections = new AtomicInteger();
    private final java.util.List<String> mailCommands = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    ScriptedBackend(Script script) throws IOException {
        this.script = script;
        server = new LoopbackServer("scripted-backend", this::serve);
    }

    int port() {
        return server.port();
    }

    /** Sessions that got as far as DATA (for GREET_421: connections refused). */
    int dataStarted() {
        return dataStarted.get();
    }

    /** Messages answered with 250 (DROP_WHEN_REUSED and SEVEN_BIT_ONLY only). */
    int delivered() {
        return delivered.get();
    }

    /** HOLD_AFTER_DOT: waits until a final dot has come and its reply is held. */
    void awaitHeldDot() throws InterruptedException {
        if (!dotReceived.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("no final dot reached the backend");
        }
    }

    /** HOLD_AFTER_DOT: the held reply (250) goes out now, and every later one at once. */
    void releaseDot() {
        dotReleased.countDown();
    }

    /** Connections to this backend not yet ended. */
    int openConnections() {
        return openConnections.get();
    }

    /** Every MAIL command line received, with its parameters. */
    java.util.List<String> mailCommands() {
        synchronized (mailCommands) {
            return java.util.List.copyOf(mailCommands);
        }
    }

    private void serve(Socket socket) {
        openConnections.incrementAndGet();
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            if (script == Script.GREET_421) {
                dataStarted.incrementAndGet();
                out.write("421 4.3.2 dropping.test Service not available\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write("220 dropping.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            int mails = 0;
            while ((line = reader.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                if (verb.equals("MAIL")) {
                    mailCommands.add(line);
                }
                if (verb.equals("MAIL") && ++mails > 1 && script == Script.DROP_WHEN_REUSED) {
                    return;
                }
                String reply = switch (verb) {
                    case "EHLO" -> script == Script.SEVEN_BIT_ONLY ? "250-dropping.test\r\n250 PIPELINING\r\n"
                            : script == Script.STARTTLS_THEN_CLOSE ? "250-dropping.test\r\n250 STARTTLS\r\n"
                            : "250-dropping.test\r\n250 8BITMIME\r\n";
                    case "STAR" -> "220 2.0.0 Ready to start TLS\r\n";
                    case "DATA" -> script == Script.REFUSE_DATA ? "554 5.6.0 no thanks\r\n"
                            : script == Script.TEMPFAIL_DATA ? "451 4.3.0 not now\r\n" : "354 go ahead\r\n";
                    case "QUIT" -> "221 bye\r\n";
                    default -> "250 ok\r\n";
                };
                if (verb.equals("DATA")) {
                    // Counted before the reply goes out, so a test that saw the reply sees the count.
                    dataStarted.incrementAndGet();
                }
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (verb.equals("STAR")) {
                    return;
                }
                if (verb.equals("DATA")) {
                    if (script == Script.REFUSE_DATA || script == Script.TEMPFAIL_DATA) {
                        continue;
                    }
                    if (script == Script.DROP_IN_DATA) {
                        char[] some = new char[10];
                        reader.read(some);
                        return;
                    }
                    if (script == Script.STALL_IN_DATA) {
                        // Reads no more and holds the connection open, as a hung backend does, until the test ends.
                        closed.await();
                        return;
                    }
                    while ((line = reader.readLine()) != null && !line.equals(".")) {
                        // the whole message, then silence and a closed connection
                    }
                    if (script == Script.HOLD_AFTER_DOT) {
                        dotReceived.countDown();
                        dotReleased.await();
                    } else if (script != Script.DROP_WHEN_REUSED && script != Script.SEVEN_BIT_ONLY) {
                        return;
                    }
                    delivered.incrementAndGet();
                    out.write("250 2.0.0 Ok: queued as S1\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // The gateway went away first: nothing to record.
        } finally {
            openConnections.decrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        dotReleased.countDown();
        server.close();
    }
}
