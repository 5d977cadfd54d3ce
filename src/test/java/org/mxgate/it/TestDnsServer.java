package org.mxgate.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A DNS responder on loopback UDP for test zones, answers built with dnsjava's message
 * classes: A and TXT records per name, NXDOMAIN otherwise; counts the queries per name. When
 * silent, it reads queries and answers none (a resolver that never answers); while failing, it
 * answers SERVFAIL to every query.
 */
final class TestDnsServer implements AutoCloseable {

    private record Entry(String a, String txt, long ttl) {
    }

    private final DatagramSocket socket;
    private final Map<String, Entry> names = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final boolean silent;
    private volatile boolean serverFailure;

    TestDnsServer(boolean silent) throws IOException {
        this.silent = silent;
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread thread = new Thread(this::serve, "test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Lists a name: its A answer and, optionally, TXT text. */
    void list(String name, String a, String txt, long ttl) {
        names.put(name.toLowerCase(), new Entry(a, txt, ttl));
    }

    /** While on, every query gets SERVFAIL (a resolver that cannot reach the list), the listings stay. */
    void serverFailure(boolean on) {
        serverFailure = on;
    }

    /** A queries for this name so far. */
    int queriesFor(String name) {
        AtomicInteger n = queries.get(name.toLowerCase() + "/A");
        return n == null ? 0 : n.get();
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                String name = question.getName().toString().toLowerCase();
                queries.computeIfAbsent(name + "/" + Type.string(question.getType()), k -> new AtomicInteger()).incrementAndGet();
                if (silent) {
                    continue;
                }
                Message reply = new Message(query.getHeader().getID());
                reply.getHeader().setFlag(Flags.QR);
                reply.getHeader().setFlag(Flags.AA);
                reply.addRecord(question, Section.QUESTION);
                Entry entry = names.get(name);
                if (serverFailure) {
                    reply.getHeader().setRcode(Rcode.SERVFAIL);
                } else if (entry == null) {
                    reply.getHeader().setRcode(Rcode.NXDOMAIN);
                } else if (question.getType() == Type.A) {
                    reply.addRecord(new ARecord(question.getName(), DClass.IN, entry.ttl(), InetAddress.getByName(entry.a())),
                            Section.ANSWER);
                } else if (question.getType() == Type.TXT && entry.txt() != null) {
                    reply.addRecord(new TXTRecord(question.getName(), DClass.IN, entry.ttl(), List.of(entry.txt())), Section.ANSWER);
                }
                byte[] wire = reply.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
