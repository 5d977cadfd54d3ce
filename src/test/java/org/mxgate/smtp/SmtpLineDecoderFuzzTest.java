package org.mxgate.smtp;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.mxgate.fuzz.FuzzTargets;
import org.mxgate.fuzz.FuzzWrites;
import org.mxgate.fuzz.ReferenceDecoding;
import org.mxgate.fuzz.SessionScript;

/**
 * Fuzzes the client's side of a session through a real {@link SmtpLineDecoder}: command lines,
 * AUTH exchanges and DATA phases in any chunking, with the decoder running free and paused after
 * every line. It must hand on exactly what {@link ReferenceDecoding} works out from the whole
 * stream: no line over its limit, no command from inside DATA, content as received.
 */
class SmtpLineDecoderFuzzTest {

    /** A DATA phase small enough for the fuzzer to run over, every second one. */
    private static final long SMALL_LIMIT = 32;

    @FuzzTest(maxDuration = FuzzTargets.TIME_BOX)
    @DictionaryEntries({"\\x0D\\x0A", "\\x0D\\x0A.\\x0D\\x0A", "\\x0A.\\x0A", "\\x0D.\\x0D", ".\\x0D\\x0A", "..", "DATA\\x0D\\x0A", "AUTH PLAIN ", "NOOP\\x0D\\x0A"})
    @DictionaryFile(resourcePath = FuzzWrites.DICTIONARY)
    void clientStream(byte[] input) {
        List<byte[]> writes = FuzzWrites.split(input);
        for (boolean pauses : new boolean[] {false, true}) {
            ReferenceDecoding.check(writes, new SessionScript(false, pauses, Long.MAX_VALUE, SMALL_LIMIT));
        }
    }
}
