package org.mxgate.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A fuzz input read as the writes a peer makes, so a fuzz target chooses the chunking as well as
 * the bytes and a seed stays a readable transcript. Every byte is content except two that never
 * occur in UTF-8: {@link #CUT} ends a write there, and {@link #REPEAT} followed by a count byte
 * {@code k} sends the write so far {@code k + 1} times, which reaches the 12,288-octet limits
 * from a 4 KB input. Without either, the whole input is one write. Writes stop at
 * {@link #MAX_STREAM} octets, so no input costs more than a few of them.
 */
public final class FuzzWrites {

    public static final int CUT = 0xFE;
    public static final int REPEAT = 0xFD;
    /** A libFuzzer dictionary of the two control bytes, for the targets that read their input as writes. */
    public static final String DICTIONARY = "/org/mxgate/fuzz/writes.dict";
    /** Past the longest limit a decoder has (12,288 octets), with room for what follows it. */
    public static final int MAX_STREAM = 16 * 1024;

    private FuzzWrites() {
    }

    /** The writes, in order; none is empty. */
    public static List<byte[]> split(byte[] input) {
        List<byte[]> writes = new ArrayList<>();
        ByteArrayOutputStream piece = new ByteArrayOutputStream();
        int[] total = {0};
        for (int i = 0; i < input.length; i++) {
            int b = input[i] & 0xFF;
            if (b == CUT) {
                add(writes, piece, 1, total);
            } else if (b == REPEAT) {
                int times = i + 1 < input.length ? (input[++i] & 0xFF) + 1 : 1;
                add(writes, piece, times, total);
            } else {
                piece.write(b);
            }
        }
        add(writes, piece, 1, total);
        return writes;
    }

    private static void add(List<byte[]> writes, ByteArrayOutputStream piece, int times, int[] total) {
        byte[] bytes = piece.toByteArray();
        piece.reset();
        for (int i = 0; i < times && bytes.length > 0 && total[0] < MAX_STREAM; i++) {
            writes.add(bytes);
            total[0] += bytes.length;
        }
    }

    /** All writes as one stream. */
    public static byte[] joined(List<byte[]> writes) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        writes.forEach(all::writeBytes);
        return all.toByteArray();
    }
}
