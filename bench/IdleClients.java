import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Opens N SMTP sessions to host:port from one thread, reads each greeting, sends EHLO, reads
 * its reply, then holds every session open and idle. Prints "ready N" when all are idle, and
 * keeps them until standard input closes. Run as a source file: java bench/IdleClients.java.
 */
public class IdleClients {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        Selector selector = Selector.open();
        int idle = 0;
        int opened = 0;
        // Connect in waves, so the listener's accept backlog is never the limit.
        while (idle < count) {
            while (opened < count && opened - idle < 500) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(new InetSocketAddress(host, port));
                channel.register(selector, SelectionKey.OP_CONNECT, new Session());
                opened++;
            }
            selector.select(1000);
            for (SelectionKey key : selector.selectedKeys()) {
                if (advance(key)) {
                    idle++;
                }
            }
            selector.selectedKeys().clear();
        }
        System.out.println("ready " + idle);
        System.out.flush();
        while (System.in.read() >= 0) {
            // Hold the sessions until the caller closes our input.
        }
    }

    /** One step of a session; true when it has just become idle after its EHLO reply. */
    private static boolean advance(SelectionKey key) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        Session session = (Session) key.attachment();
        if (key.isConnectable()) {
            channel.finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            return false;
        }
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        if (channel.read(buffer) < 0) {
            throw new IOException("server closed a session");
        }
        session.text.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
        if (!session.sentEhlo && session.text.indexOf("\r\n") >= 0) {
            session.sentEhlo = true;
            session.text.setLength(0);
            channel.write(ByteBuffer.wrap("EHLO idle.bench.test\r\n".getBytes(StandardCharsets.US_ASCII)));
            return false;
        }
        if (session.sentEhlo && session.text.toString().matches("(?s).*(^|\r\n)250 [^\r\n]*\r\n")) {
            key.interestOps(0);
            session.text = null;
            return true;
        }
        return false;
    }

    private static final class Session {
        StringBuilder text = new StringBuilder();
        boolean sentEhlo;
    }
}
