import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Zone;

/**
 * The lab's DNS block list server: answers UDP queries from one zone file (RFC 1035 master
 * format, its $ORIGIN the zone) with dnsjava, authoritatively; names outside the zone are
 * REFUSED. Never recurses. Run as a source file with the mxgate jar (which has dnsjava) on the
 * class path:
 *   java -cp target/mxgate.jar lab/dns/LabDns.java lab/dns/blocklist.zone 127.30.25.53 22506
 */
public class LabDns {

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LabDns ZONE_FILE ADDRESS PORT");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        Name origin = Files.readAllLines(file).stream()
                .filter(line -> line.startsWith("$ORIGIN"))
                .map(line -> Name.fromConstantString(line.substring("$ORIGIN".length()).trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(file + " has no $ORIGIN line"));
        Zone zone = new Zone(origin, file.toString());
        try (DatagramSocket socket = new DatagramSocket(
                new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2])))) {
            System.out.println("lab dns: zone " + origin + " on " + args[1] + ":" + args[2] + " (udp)");
            byte[] buffer = new byte[4096];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                byte[] wire;
                try {
                    wire = answer(zone, new Message(Arrays.copyOf(packet.getData(), packet.getLength()))).toWire(512);
                } catch (Exception e) {
                    // A query that cannot be read gets no answer, as from any authoritative server.
                    continue;
                }
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            }
        }
    }

    private static Message answer(Zone zone, Message query) {
        Record question = query.getQuestion();
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.addRecord(question, Section.QUESTION);
        if (!question.getName().subdomain(zone.getOrigin())) {
            reply.getHeader().setRcode(Rcode.REFUSED);
            return reply;
        }
        reply.getHeader().setFlag(Flags.AA);
        SetResponse found = zone.findRecords(question.getName(), question.getType());
        if (found.isSuccessful()) {
            for (RRset set : found.answers()) {
                set.rrs().forEach(record -> reply.addRecord(record, Section.ANSWER));
            }
        } else if (found.isNXDOMAIN()) {
            reply.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        return reply;
    }
}
