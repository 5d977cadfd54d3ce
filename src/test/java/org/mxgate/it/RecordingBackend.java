package org.mxgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * A SubEthaSMTP backend that keeps every message it accepts byte for byte, and can be scripted
 * to push back: 452 4.3.1 at MAIL FROM (back pressure), 550 5.1.1 for named recipients.
 */
final class RecordingBackend implements AutoCloseable {

    /** @param tls whether the message came over a connection that had started TLS */
    record Message(String from, List<String> recipients, byte[] bytes, boolean tls) {
    }

    private final SMTPServer server;
    private final List<Message> messages = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger mailCommands = new AtomicInteger();
    private final Set<String> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> remoteAddresses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger sessions = new AtomicInteger();
    private final Set<Session> openSessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean pressure;
    private volatile boolean externalPressure;
    private final List<String> mailSenders = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> sendersWithAddress = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile int dataFailure;
    private volatile long mailDelayMillis;
    private volatile CountDownLatch greetingsHeld;
    private final AtomicInteger heldGreetings = new AtomicInteger();
    private volatile Set<String> unknownRecipients = Set.of();

    RecordingBackend() {
        this(null);
    }

    /** @param startTls when not null, STARTTLS is offered with this server context */
    RecordingBackend(javax.net.ssl.SSLContext startTls) {
        this(0, startTls);
    }

    /** On this port: a backend started again where a stopped one listened (0: the system's choice). */
    RecordingBackend(int port, javax.net.ssl.SSLContext startTls) {
        SMTPServer.Builder builder = SMTPServer.port(port).bindAddress(java.net.InetAddress.getLoopbackAddress())
                .hostName("backend.test").maxConnections(1000).insertReceivedHeaders(false)
                .messageHandlerFactory(this::handler).sessionHandler(new SessionCount());
        if (startTls != null) {
            builder.enableTLS().startTlsSocketFactory(startTls);
        }
        server = builder.build();
        server.start();
    }

    int port() {
        return server.getPortAllocated();
    }

    /** From now on every MAIL FROM gets 452 4.3.1, as Exchange does under back pressure. */
    RecordingBackend underPressure() {
        pressure = true;
        return this;
    }

    /**
     * While on, MAIL FROM from outside example.test gets 452 4.3.1, as Exchange under back
     * pressure refuses external senders first; EHLO stays fine.
     */
    void pressureForExternalSenders(boolean on) {
        externalPressure = on;
    }

    /** The sender of every MAIL FROM received, in order. */
    List<String> mailSenders() {
        synchronized (mailSenders) {
            return List.copyOf(mailSenders);
        }
    }

    /** Answers the final dot with 451 4.3.0, keeping nothing. */
    RecordingBackend tempfailingData() {
        dataFailure = 451;
        return this;
    }

    /** Answers the final dot with 554 5.7.1, keeping nothing. */
    RecordingBackend rejectingData() {
        dataFailure = 554;
        return this;
    }

    /** Waits this long before answering MAIL FROM. */
    RecordingBackend slowAtMail(long millis) {
        mailDelayMillis = millis;
        return this;
    }

    /**
     * From now on each new connection waits for its greeting until {@link #releaseGreetings()},
     * as a backend slow to accept does, for as long as the test needs it slow.
     */
    RecordingBackend holdingGreetings() {
        greetingsHeld = new CountDownLatch(1);
        return this;
    }

    /** Waits until a connection is held before its greeting ({@link #holdingGreetings()}). */
    void awaitHeldGreeting() {
        await().atMost(Duration.ofSeconds(10)).until(() -> heldGreetings.get() >= 1);
    }

    /** How many connections have been held before their greeting so far. */
    int heldGreetings() {
        return heldGreetings.get();
    }

    void releaseGreetings() {
        greetingsHeld.countDown();
    }

    RecordingBackend refusing(String... recipients) {
        unknownRecipients = Set.of(recipients);
        return this;
    }

    List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    int mailCommands() {
        return mailCommands.get();
    }

    /** The addresses the gateway connected from, for connections that carried a MAIL command. */
    Set<String> remoteAddresses() {
        return Set.copyOf(remoteAddresses);
    }

    /** The addresses MAIL FROM:&lt;sender&gt; came from (the peer address of its connection). */
    Set<String> remoteAddressesOf(String sender) {
        String prefix = sender + " from ";
        return sendersWithAddress.stream().filter(s -> s.startsWith(prefix))
                .map(s -> s.substring(prefix.length())).collect(java.util.stream.Collectors.toSet());
    }

    /** How many distinct SMTP connections carried a MAIL command. */
    int connections() {
        return connections.size();
    }

    /** How many SMTP connections were greeted, with or without a MAIL command (health probes too). */
    int sessions() {
        return sessions.get();
    }

    /** How many greeted SMTP connections have not ended yet. */
    int openSessions() {
        return openSessions.size();
    }

    /**
     * Waits until every connection made to this backend has ended, and so has been read to its end:
     * whatever a test's connections carried is recorded by then, and nothing more can come on them.
     * A connection is counted from before its greeting, and a client sends no MAIL before the
     * greeting, so no connection that could carry a message is missed.
     */
    void awaitAllSessionsEnded() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(0, openSessions(), "connections to the backend still open"));
    }

    /** Counts connections at their greeting and their end; refuses none. */
    private final class SessionCount implements SessionHandler {

        @Override
        public SessionAcceptance accept(Session session) {
            sessions.incrementAndGet();
            openSessions.add(session);
            CountDownLatch held = greetingsHeld;
            if (held != null) {
                heldGreetings.incrementAndGet();
                try {
                    held.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return SessionAcceptance.success();
        }

        @Override
        public void onSessionEnd(Session session) {
            openSessions.remove(session);
        }
    }

    private MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            private String from;
            private final List<String> recipients = new ArrayList<>();

            @Override
            public void from(String address) throws RejectException {
                mailCommands.incrementAndGet();
                connections.add(context.getSessionId());
                String remote = ((java.net.InetSocketAddress) context.getRemoteAddress()).getAddress().getHostAddress();
                remoteAddresses.add(remote);
                sendersWithAddress.add(address + " from " + remote);
                if (mailDelayMillis > 0) {
                    // The slow backend this option simulates: the pause is the behaviour under test.
                    try {
                        Thread.sleep(mailDelayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                mailSenders.add(address);
                if (pressure || (externalPressure && !address.toLowerCase().endsWith("@example.test"))) {
                    throw new RejectException(452, "4.3.1 Insufficient system resources");
                }
                from = address;
            }

            @Override
            public void recipient(String address) throws RejectException {
                if (unknownRecipients.contains(address)) {
                    throw new RejectException(550, "5.1.1 <" + address + ">: Recipient address rejected: User unknown");
                }
                recipients.add(address);
            }

            @Override
            public String data(InputStream data) throws IOException, RejectException {
                byte[] bytes = data.readAllBytes();
                if (dataFailure == 451) {
                    throw new RejectException(451, "4.3.0 Temporary failure, try again");
                }
                if (dataFailure == 554) {
                    throw new RejectException(554, "5.7.1 Message refused as spam");
                }
                boolean tls = context instanceof org.subethamail.smtp.server.Session session && session.isTLSStarted();
                messages.add(new Message(from, List.copyOf(recipients), bytes, tls));
                return null;
            }

            @Override
            public void done() {
            }
        };
    }

    @Override
    public void close() {
        server.stop();
    }
}
